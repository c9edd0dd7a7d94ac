import type { StoredToken, TokenStore } from '@cloudagent-phone/transport';

/**
 * Durable key-value storage for the holder: a Durable Object's `ctx.storage` fits as it is;
 * createMemoryHolderStorage keeps everything in this process's memory.
 */
export interface HolderStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

export function createMemoryHolderStorage(): HolderStorage {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => (values.has(key) ? (structuredClone(values.get(key)) as T) : undefined),
    put: async <T>(key: string, value: T) => {
      values.set(key, structuredClone(value));
    },
  };
}

export const tokenKey = (userName: string, hash: string) => `token:${userName}:${hash}`;
const generationsKey = (userName: string) => `generations:${userName}`;
const HOUR_MS = 60 * 60 * 1000;

/**
 * The TokenStore of one (account, key hash) inside the holder's storage. The account's generations
 * ride along in every key's StoredToken, so one cap covers them all: `get` adds the account's
 * ledger to the key's own, `set` adds the key's to the ledger (dropping those older than an hour).
 */
export function accountTokenStore(storage: HolderStorage, userName: string, hash: string, now: () => number): TokenStore {
  return {
    async get() {
      const [token, ledger] = await Promise.all([storage.get<StoredToken>(tokenKey(userName, hash)), storage.get<number[]>(generationsKey(userName))]);
      const generations = [...new Set([...(token?.generations ?? []), ...(ledger ?? [])])].sort((a, b) => a - b);
      if (token) return { ...token, generations };
      // No token for this key yet, but other keys' generations count: an expired placeholder
      // carries them (the manager generates, and counts them against the cap first).
      return generations.length > 0 ? { token: '', issuedAt: 0, expiresAt: 0, generations } : undefined;
    },
    async set(token) {
      const ledger = (await storage.get<number[]>(generationsKey(userName))) ?? [];
      const hourAgo = now() - HOUR_MS;
      const generations = [...new Set([...ledger, ...token.generations])].filter((t) => t > hourAgo).sort((a, b) => a - b);
      await storage.put(tokenKey(userName, hash), token);
      await storage.put(generationsKey(userName), generations);
    },
  };
}
