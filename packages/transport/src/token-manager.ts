import {
  TOKEN_GENERATIONS_PER_HOUR,
  TOKEN_LIFETIME_MS,
  encodeTokenRequest,
  failureOutcome,
  parseTokenResponse,
  redact,
  type Outcome,
} from '@cloudagent-phone/core';
import { createFetchTransport } from './fetch-transport.js';
import { redactingLogger, type Logger } from './logger.js';
import { sendAttempt, untilAborted } from './signals.js';
import { createMemoryTokenStore, type StoredToken, type TokenStore } from './token-store.js';
import type { Transport } from './transport.js';
import { TransportError } from './transport-error.js';

export interface TokenProvider {
  /**
   * The token to send. `rejected`: the token CloudAgent just refused ("Token Expired", "Invalid
   * Token"); a new one is generated only if that token is still the current one (someone else may
   * have replaced it already). `signal` stops this caller's wait, not a generation others share.
   */
  getToken(options?: { rejected?: string; signal?: AbortSignal }): Promise<string>;
}

/** Generating a token failed, or would exceed the hourly cap. `outcome` says which, in core's terms. */
export class TokenError extends Error {
  readonly outcome: Outcome;
  constructor(outcome: Outcome) {
    super(outcome.message);
    this.name = 'TokenError';
    this.outcome = outcome;
  }
}

const HOUR_MS = 60 * 60 * 1000;

export interface TokenManagerOptions {
  userName: string;
  /** The account's API key: it is sent to generateToken only. */
  apiKey: string;
  /** Default core's DEFAULT_BASE_URL. */
  baseUrl?: string;
  /** Default createFetchTransport() (generateToken is a POST, any transport can send it). */
  transport?: Transport;
  /** Default an in-memory store (this process only). */
  store?: TokenStore;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** A token is replaced this long before it expires, in ms. Default 300 000 (5 minutes: used for 55). */
  refreshBeforeMs?: number;
  /** Per generateToken request, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Generations allowed per rolling hour. Default and maximum: 10 (the vendor's cap). */
  maxGenerationsPerHour?: number;
  logger?: Logger;
}

/**
 * Token accounts (TOKEN_AUTH): one token, generated on demand, reused until shortly before its 60
 * minutes end, and shared.
 *
 * - Single flight: concurrent callers share one generation (each generation voids the previous
 *   token, so parallel generations would knock each other out and burn the hourly budget).
 * - A rejected token is replaced once, and only if it is still the current one.
 * - Never more than 10 generations per rolling hour, counted in the store (so shared too): past
 *   that, a TokenError with a `rate_limited` outcome says when the next one is allowed.
 */
export function createTokenManager(options: TokenManagerOptions): TokenProvider {
  return buildTokenManager(options, options.transport ?? createFetchTransport());
}

/**
 * createTokenManager for callers that always pass `transport`: nothing of the fetch transport is
 * reachable from it, so it stays out of a Worker bundle that generates tokens over sockets.
 */
export function createTokenManagerWithTransport(options: TokenManagerOptions & { transport: Transport }): TokenProvider {
  return buildTokenManager(options, options.transport);
}

function buildTokenManager(options: TokenManagerOptions, transport: Transport): TokenProvider {
  const now = options.now ?? Date.now;
  const store = options.store ?? createMemoryTokenStore();
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60 * 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cap = Math.min(options.maxGenerationsPerHour ?? TOKEN_GENERATIONS_PER_HOUR, TOKEN_GENERATIONS_PER_HOUR);
  let lastToken: string | undefined;
  const log = redactingLogger(options.logger, () => [options.apiKey, lastToken]);
  // Generations this process attempted that may have reached the server, merged with the store's.
  let localGenerations: number[] = [];
  let inFlight: Promise<string> | undefined;

  const fresh = (t: StoredToken | undefined): t is StoredToken => t !== undefined && now() < t.expiresAt - refreshBeforeMs;

  async function generate(previous: StoredToken | undefined): Promise<string> {
    const t = now();
    // The store's list holds this process's successful generations too: the Set counts each once.
    const recent = [...new Set([...(previous?.generations ?? []), ...localGenerations])].filter((g) => t - g < HOUR_MS).sort((a, b) => a - b);
    // Each generation's own stamp, after every one known: two in the same millisecond stay two
    // (a Set of plain timestamps would merge them and let an eleventh through).
    const stamp = Math.max(t, (recent.at(-1) ?? 0) + 0.001);
    localGenerations = localGenerations.filter((g) => t - g < HOUR_MS);
    if (recent.length >= cap) {
      const retryAfterMs = Math.max(0, (recent[recent.length - cap] ?? t) + HOUR_MS - t);
      throw new TokenError({
        kind: 'rate_limited',
        message: `token generation refused locally: ${cap} tokens were generated in the last hour (CloudAgent's cap); the next is allowed in ${Math.ceil(retryAfterMs / 1000)} s`,
        retryable: true,
        retryAfterMs,
        cause: 'token_cap',
      });
    }
    const request = encodeTokenRequest({ userName: options.userName, apiKey: options.apiKey }, options.baseUrl ? { baseUrl: options.baseUrl } : {});
    log.debug('generating a CloudAgent token', { generationsInLastHour: recent.length });
    let outcome: Outcome;
    try {
      const response = await sendAttempt(transport, request, timeoutMs);
      localGenerations.push(stamp);
      const parsed = parseTokenResponse(response);
      if (parsed.ok) {
        const stored: StoredToken = { token: parsed.token, issuedAt: t, expiresAt: t + TOKEN_LIFETIME_MS, generations: [...recent, stamp] };
        lastToken = parsed.token;
        await store.set(stored);
        log.info('generated a CloudAgent token', { expiresAt: new Date(stored.expiresAt).toISOString() });
        return parsed.token;
      }
      outcome = parsed.outcome;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      if (error.delivery === 'maybe_sent') localGenerations.push(stamp);
      // A token request changes no phone number: judged as a read, so a network failure is retryable.
      outcome = failureOutcome(error.toFailure(), 'get');
    }
    log.warn('token generation failed', { kind: outcome.kind, message: outcome.message });
    // CAToken's answer is quoted in the outcome; a server that echoes the key must not pass it on.
    throw new TokenError(redact(outcome, { secrets: [options.apiKey, lastToken] }));
  }

  function singleFlight(work: () => Promise<string>): Promise<string> {
    if (!inFlight) inFlight = work().finally(() => (inFlight = undefined));
    return inFlight;
  }

  async function current(): Promise<string> {
    const stored = await store.get();
    if (fresh(stored)) return (lastToken = stored.token);
    return singleFlight(async () => {
      // Another process (or an earlier flight) may have stored a fresh token meanwhile.
      const again = await store.get();
      if (fresh(again)) return (lastToken = again.token);
      return generate(again);
    });
  }

  async function replace(rejected: string): Promise<string> {
    return singleFlight(async () => {
      const stored = await store.get();
      // Someone already replaced the rejected token: use theirs rather than voiding it.
      if (stored && stored.token !== rejected && fresh(stored)) return (lastToken = stored.token);
      return generate(stored);
    });
  }

  return {
    async getToken(callOptions = {}) {
      const work = (async () => {
        // A flight already under way may be the generation that replaces the rejected token.
        let token = inFlight ? await inFlight : await current();
        if (callOptions.rejected !== undefined && token === callOptions.rejected) token = await replace(callOptions.rejected);
        return token;
      })();
      return untilAborted(work, callOptions.signal);
    },
  };
}
