import type { Outcome } from '@cloudagent-phone/core';
import type { Logger } from './logger.js';
import { createTokenManager, TokenError, type TokenProvider } from './token-manager.js';
import type { StoredToken, TokenStore } from './token-store.js';
import type { Transport } from './transport.js';

/**
 * Where token accounts keep their state: a Durable Object's storage on Workers (its `get`/`put`
 * have this shape), or a Map when one process is all there is.
 */
export interface KeyValueStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

export function createMemoryKeyValueStorage(): KeyValueStorage {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    put: async (key, value) => void map.set(key, structuredClone(value)),
  };
}

export interface TokenAccountsOptions {
  /** Default core's DEFAULT_BASE_URL. */
  baseUrl?: string;
  /** Carries generateToken (a POST). Default the token manager's (fetch). */
  transport?: Transport;
  /** Default in memory (this process). */
  storage?: KeyValueStorage;
  now?: () => number;
  /** Per generateToken request, in ms. Default 30 000. */
  timeoutMs?: number;
  /** A token is replaced this long before it expires, in ms. Default 300 000. */
  refreshBeforeMs?: number;
  /** How long a refused key is answered "refused" without asking CloudAgent again, in ms. Default 60 000. */
  refusalMemoryMs?: number;
  /**
   * Refused generations allowed per user name, whatever the key, per `refusalMemoryMs`. Past it,
   * keys that hold no token yet are turned away locally (`rate_limited`) until the window moves on,
   * so callers making up keys cannot make CloudAgent's generateToken their target. Default 5.
   */
  maxRefusalsPerUser?: number;
  /** Callers (user name and key pairs) whose token managers are kept; the oldest go first. Default 1000. */
  maxEntries?: number;
  logger?: Logger;
}

export interface TokenAccounts {
  /**
   * The token for this user name *and this key*. Throws a TokenError (CloudAgent refused the key,
   * or the hourly cap or the refusal cap would be exceeded). `rejected`: as TokenProvider's.
   */
  getToken(userName: string, apiKey: string, options?: { rejected?: string; signal?: AbortSignal }): Promise<string>;
  /** The same, as the TokenProvider `createClient({ auth: 'token', tokenProvider })` takes. */
  providerFor(userName: string, apiKey: string): TokenProvider;
}

/** What a stored token record holds; the generations are the account's, kept apart (see below). */
type KeyToken = Omit<StoredToken, 'generations'>;
type Refusal = { until: number; outcome: Outcome };

const HOUR_MS = 60 * 60 * 1000;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Token accounts whose API key comes from each caller (the v1 shim: legacy callers hold a key, v2
 * wants a token). Tokens are kept per user name *and key hash*: a caller with a wrong key never
 * rides a token a right key earned. Per (user name, key): one token manager, so concurrent callers
 * share one generation and a rejected token is replaced once. Per user name: one hourly budget of
 * generations (CloudAgent counts per account, and a new token voids the older ones), and a cap on
 * refusals. A refusal is remembered per (user name, key hash) for `refusalMemoryMs`.
 *
 * Keys are never stored, only their SHA-256; tokens are stored as the token manager stores them.
 */
export function createTokenAccounts(options: TokenAccountsOptions = {}): TokenAccounts {
  const now = options.now ?? Date.now;
  const storage = options.storage ?? createMemoryKeyValueStorage();
  const refusalMemoryMs = options.refusalMemoryMs ?? 60_000;
  const maxRefusalsPerUser = options.maxRefusalsPerUser ?? 5;
  const maxEntries = options.maxEntries ?? 1000;
  const managers = new Map<string, TokenProvider>();
  const refusals = new Map<string, Refusal>();
  const refusedAt = new Map<string, number[]>();

  // The token for one key, and the generation times for the whole account, as one StoredToken.
  function storeFor(userName: string, entry: string): TokenStore {
    const tokenKey = `token:${entry}`;
    const generationsKey = `generations:${userName}`;
    return {
      async get() {
        const [token, generations] = await Promise.all([storage.get<KeyToken>(tokenKey), storage.get<number[]>(generationsKey)]);
        if (!token && !generations) return undefined;
        // No token yet for this key: an expired placeholder carries the account's generations.
        return { ...(token ?? { token: '', issuedAt: 0, expiresAt: 0 }), generations: generations ?? [] };
      },
      async set({ generations, ...token }) {
        const t = now();
        await Promise.all([storage.put(tokenKey, token), storage.put(generationsKey, generations.filter((g) => t - g < HOUR_MS))]);
      },
    };
  }

  function managerFor(userName: string, apiKey: string, entry: string): TokenProvider {
    let manager = managers.get(entry);
    if (manager) {
      // Most recently used last, so the oldest is the one dropped.
      managers.delete(entry);
      managers.set(entry, manager);
      return manager;
    }
    manager = createTokenManager({
      userName,
      apiKey,
      store: storeFor(userName, entry),
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.refreshBeforeMs !== undefined ? { refreshBeforeMs: options.refreshBeforeMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      now,
    });
    managers.set(entry, manager);
    if (managers.size > maxEntries) managers.delete(managers.keys().next().value!);
    return manager;
  }

  function recentRefusals(userName: string): number[] {
    const t = now();
    const recent = (refusedAt.get(userName) ?? []).filter((at) => t - at < refusalMemoryMs);
    refusedAt.set(userName, recent);
    return recent;
  }

  async function getToken(userName: string, apiKey: string, callOptions: { rejected?: string; signal?: AbortSignal } = {}): Promise<string> {
    const entry = `${userName}:${await sha256Hex(apiKey)}`;
    const refused = refusals.get(entry);
    if (refused && now() < refused.until) throw new TokenError(refused.outcome);
    refusals.delete(entry);
    const recent = recentRefusals(userName);
    if (recent.length >= maxRefusalsPerUser && !(await storage.get<KeyToken>(`token:${entry}`))) {
      const retryAfterMs = Math.max(0, recent[0]! + refusalMemoryMs - now());
      throw new TokenError({
        kind: 'rate_limited',
        message: `token generation paused for this account: ${recent.length} keys were refused in the last ${Math.round(refusalMemoryMs / 1000)} s; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
        retryable: true,
        ambiguous: false,
        retryAfterMs,
        cause: 'token_refusals',
      });
    }
    try {
      return await managerFor(userName, apiKey, entry).getToken(callOptions);
    } catch (error) {
      // CloudAgent said no to this key: remember it, so the same key does not ask again at once.
      if (error instanceof TokenError && error.outcome.kind === 'auth_error') {
        if (!refusals.has(entry)) refusedAt.set(userName, [...recentRefusals(userName), now()]);
        refusals.set(entry, { until: now() + refusalMemoryMs, outcome: error.outcome });
        if (refusals.size > maxEntries) refusals.delete(refusals.keys().next().value!);
      }
      throw error;
    }
  }

  return {
    getToken,
    providerFor: (userName, apiKey) => ({ getToken: (callOptions) => getToken(userName, apiKey, callOptions) }),
  };
}
