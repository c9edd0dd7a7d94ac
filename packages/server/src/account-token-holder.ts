import type { Outcome } from '@cloudagent-phone/core';
import { TokenError, createTokenManagerWithTransport, type Logger, type StoredToken, type TokenProvider, type Transport } from '@cloudagent-phone/transport';
import { accountTokenStore, tokenKey, type HolderStorage } from './account-token-store.js';
import { keyHash } from './key-hash.js';
import { RefusalMemory, type RefusalPolicy } from './refusal-memory.js';
import type { TokenAnswer, TokenRequest } from './token-answer.js';

export interface AccountTokenHolderOptions {
  /**
   * Carries generateToken (a POST: any transport can). Required, with no fetch default: a default
   * would put the fetch transport into every Worker bundle, where the socket transport does this.
   */
  transport: Transport;
  /**
   * On Workers the Durable Object's storage; on Node createMemoryHolderStorage() (memoryAccountTokens
   * passes it). Required, for the same reason as `transport`: a memory default would ride into the
   * Worker bundle, where it is never used.
   */
  storage: HolderStorage;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Refusal memory and the cap on checking unproven keys; see RefusalPolicy. */
  refusals?: Partial<RefusalPolicy>;
  /** Lines go through the token manager's redaction (the key and the token never appear). */
  logger?: Logger;
  /** Passed to each token manager (tests). Default and maximum 10, the vendor's cap. */
  maxGenerationsPerHour?: number;
}

export interface AccountTokenHolder {
  getToken(request: TokenRequest): Promise<TokenAnswer>;
}

/**
 * Holds CloudAgent tokens for token-auth accounts (API Authentication TOKEN_AUTH), one per
 * (account, SHA-256 of the key that earned it): a caller gets a token only by presenting the key
 * that earned it, so a wrong key never rides a right key's token; it costs one generateToken,
 * which CloudAgent refuses without voiding anything.
 *
 * - One generation at a time per (account, key), shared by every concurrent caller (the
 *   transport's token manager: single flight, replace a refused token once, 55 minutes of use).
 * - The 10-an-hour cap is the account's, whatever key asks: the generations are counted per
 *   account in the storage, and every key's manager sees them all.
 * - A refused key is remembered and unproven keys are rationed (RefusalMemory).
 *
 * Keep one holder per process (Node) or one Durable Object per account (Workers): two holders for
 * one account void each other's token, since CloudAgent keeps only the newest.
 */
export function createAccountTokenHolder(options: AccountTokenHolderOptions): AccountTokenHolder {
  const now = options.now ?? Date.now;
  const { storage, transport } = options;
  const refusals = new RefusalMemory(options.refusals);
  const managers = new Map<string, { provider: TokenProvider; baseUrl: string }>();
  // (account, key hash) pairs that earned a token: only these skip the ration on unproven keys.
  const earned = new Set<string>();
  // Checks of an unproven key under way: concurrent callers with the same key share one.
  const checks = new Map<string, Promise<TokenAnswer>>();

  function managerFor(request: TokenRequest, hash: string, id: string): TokenProvider {
    const known = managers.get(id);
    if (known && known.baseUrl === request.baseUrl) return known.provider;
    const provider = createTokenManagerWithTransport({
      userName: request.userName,
      apiKey: request.apiKey,
      baseUrl: request.baseUrl,
      transport,
      store: accountTokenStore(storage, request.userName, hash, now),
      now,
      // (Unset options stay undefined: the token manager applies its defaults.)
      timeoutMs: request.timeoutMs,
      maxGenerationsPerHour: options.maxGenerationsPerHour,
      logger: options.logger,
    });
    managers.set(id, { provider, baseUrl: request.baseUrl });
    return provider;
  }

  async function ask(request: TokenRequest, hash: string, id: string): Promise<TokenAnswer> {
    try {
      const token = await managerFor(request, hash, id).getToken({ rejected: request.rejected });
      earned.add(id);
      return { ok: true, token };
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      const refused = error.outcome.kind === 'auth_error' && error.outcome.field !== 'token';
      // A key that never earned a token is not kept (its manager holds it), whatever went wrong.
      if (refused || !earned.has(id)) managers.delete(id);
      // CloudAgent refused the key itself: say so for a while without asking again.
      if (refused) refusals.remember(id, now());
      return { ok: false, outcome: error.outcome };
    }
  }

  return {
    async getToken(request) {
      const hash = await keyHash(request.apiKey);
      const id = `${request.userName}\u0000${hash}`;
      const refusedUntil = refusals.refusedUntil(id, now());
      if (refusedUntil !== undefined) return { ok: false, outcome: remembered(refusedUntil - now()) };
      if (!earned.has(id) && (await storage.get<StoredToken>(tokenKey(request.userName, hash))) !== undefined) earned.add(id);
      if (earned.has(id)) return ask(request, hash, id);
      const under = checks.get(id);
      if (under) return under;
      const decision = refusals.takeUnprovenAttempt(request.userName, now());
      if (!decision.allowed) return { ok: false, outcome: rationed(decision.retryAfterMs) };
      const check = ask(request, hash, id).finally(() => checks.delete(id));
      checks.set(id, check);
      return check;
    },
  };
}

function remembered(remainingMs: number): Outcome {
  return {
    kind: 'auth_error',
    message: `userName or apiKey not valid: CloudAgent refused this key moments ago; it is not asked again for ${Math.ceil(remainingMs / 1000)} s`,
    retryable: false,
    cause: 'token_refusal_remembered',
  };
}

function rationed(retryAfterMs: number): Outcome {
  return {
    kind: 'rate_limited',
    message: `too many unrecognised keys for this account recently; not checked with CloudAgent, try again in ${Math.ceil(retryAfterMs / 1000)} s`,
    retryable: true,
    retryAfterMs,
    cause: 'token_unproven_keys',
  };
}
