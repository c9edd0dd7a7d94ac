import { describe, expect, it } from 'vitest';
import type { StoredToken, TokenStore } from '../token-store.js';

// Runtime-neutral (vitest only): it runs on Node and inside workerd.

export interface TokenStoreContract {
  /** Shown in the suite's title. */
  name: string;
  /** A new, empty store, called for each case. */
  create: () => TokenStore | Promise<TokenStore>;
  /**
   * Another handle on the store `create` returned last: what another process or isolate of the
   * account sees (a second file store on the same path, another view of the same Durable Object's
   * storage). Give it for a store meant to be shared; without it that case is not defined.
   */
  reopen?: () => TokenStore | Promise<TokenStore>;
}

/**
 * What the token manager relies on from a TokenStore (`createTokenManager({ store })`), whatever it
 * is built on: empty at first; `get` gives back what `set` stored (`generations` at least those
 * given: a store shared by several keys of one account may add theirs, the hourly cap being the
 * account's); a later `set` replaces the token; what was stored cannot be changed through an
 * object handed in or out; concurrent sets leave one of them whole; a shared store shows every
 * handle the same token. Times are near the real clock (a store may drop generations older than
 * an hour, as the manager itself does).
 *
 * ```ts
 * import { describeTokenStoreContract } from '@cloudagent-phone/transport/testing';
 *
 * let key = '';
 * describeTokenStoreContract({ name: 'redis', create: () => redisTokenStore((key = crypto.randomUUID())), reopen: () => redisTokenStore(key) });
 * ```
 */
export function describeTokenStoreContract(contract: TokenStoreContract): void {
  const token = (name: string, issuedAt: number, generations: number[]): StoredToken => ({
    token: name,
    issuedAt,
    expiresAt: issuedAt + 60 * 60 * 1000,
    generations,
  });
  const expectHolds = (got: StoredToken | undefined, set: StoredToken) => {
    expect(got).toBeDefined();
    const { generations, ...rest } = got!;
    const { generations: setGenerations, ...setRest } = set;
    expect(rest).toEqual(setRest);
    expect(generations).toEqual(expect.arrayContaining(setGenerations));
    expect([...generations].sort((a, b) => a - b)).toEqual(generations);
  };

  describe(`TokenStore contract: ${contract.name}`, () => {
    it('is empty at first', async () => {
      const store = await contract.create();
      expect(await store.get()).toBeUndefined();
    });

    it('gives back what was set: the token, both times and the generations, in order', async () => {
      const store = await contract.create();
      const t = Date.now();
      const set = token('tok-one', t, [t - 120_000, t - 60_000, t]);
      await store.set(set);
      const got = await store.get();
      expect(got).toEqual(set);
    });

    it('replaces the token with a later one (the generations only grow)', async () => {
      const store = await contract.create();
      const t = Date.now();
      await store.set(token('tok-first', t - 1_000, [t - 1_000]));
      const second = token('tok-second', t, [t - 1_000, t]);
      await store.set(second);
      expect(await store.get()).toEqual(second);
    });

    it('keeps its own copy: changing an object handed in or out changes nothing stored', async () => {
      const store = await contract.create();
      const t = Date.now();
      const set = token('tok-copy', t, [t]);
      await store.set(set);
      set.token = 'changed-after-set';
      set.generations.push(t + 1);
      const got = await store.get();
      expectHolds(got, token('tok-copy', t, [t]));
      expect(got!.generations).not.toContain(t + 1);
      got!.token = 'changed-after-get';
      got!.generations.length = 0;
      expectHolds(await store.get(), token('tok-copy', t, [t]));
    });

    it('after concurrent sets holds one of them whole, never a mix, and none of them fails', async () => {
      const store = await contract.create();
      const t = Date.now();
      const sets = Array.from({ length: 10 }, (_, i) => token(`tok-${i}`, t + i, [t - 5_000, t + i]));
      await Promise.all(sets.map((s) => store.set(s)));
      const got = await store.get();
      const which = sets.find((s) => s.token === got?.token);
      expect(which, `stored ${got?.token}`).toBeDefined();
      expectHolds(got, which!);
    });

    const { reopen } = contract;
    if (reopen) {
      it('shows every handle the same token: a set through one is what the other gets', async () => {
        const store = await contract.create();
        const t = Date.now();
        const first = token('tok-shared', t - 1_000, [t - 1_000]);
        await store.set(first);
        const other = await reopen();
        expectHolds(await other.get(), first);
        const second = token('tok-shared-2', t, [t - 1_000, t]);
        await other.set(second);
        expectHolds(await store.get(), second);
      });
    }
  });
}
