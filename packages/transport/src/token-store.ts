/**
 * The token an account currently uses, with the generations that count against the vendor's cap.
 * Shared through a TokenStore, so that every process or isolate of one account uses one token
 * (each generation voids the previous token) and one hourly budget.
 */
export interface StoredToken {
  token: string;
  /** When it was generated, ms since the epoch. */
  issuedAt: number;
  /** When CloudAgent will stop accepting it (issuedAt + 60 minutes), ms since the epoch. */
  expiresAt: number;
  /** Times (ms since the epoch) of the generations in the last hour, this one included. */
  generations: number[];
}

/**
 * Where the current token lives. The default keeps it in memory (one process). Implement it over
 * a Durable Object, Redis or a file to share one token between many processes or isolates.
 * `get` may return a token another process stored; `set` replaces it.
 */
export interface TokenStore {
  get(): Promise<StoredToken | undefined>;
  set(token: StoredToken): Promise<void>;
}

export function createMemoryTokenStore(): TokenStore {
  let current: StoredToken | undefined;
  return {
    get: async () => (current ? { ...current, generations: [...current.generations] } : undefined),
    set: async (token) => {
      current = { ...token, generations: [...token.generations] };
    },
  };
}
