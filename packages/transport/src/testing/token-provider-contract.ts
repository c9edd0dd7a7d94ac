import { describe, expect, it } from 'vitest';
import { TokenError, type TokenProvider } from '../token-manager.js';

// Runtime-neutral (vitest only): it runs on Node and inside workerd.

/** One token account for one case: a CloudAgent that issues tokens, and the providers under test. */
export interface TokenAccountUnderTest {
  /** The provider under test, for the account's own API key. */
  provider: TokenProvider;
  /** The same kind of provider, for the same account, with a key CloudAgent refuses. */
  providerWithWrongKey: TokenProvider;
  /** generateToken requests CloudAgent received for the account so far (refused ones included). */
  generations(): number | Promise<number>;
  /** The one token CloudAgent accepts now (each generation voids the one before), if any. */
  currentToken(): string | undefined | Promise<string | undefined>;
}

export interface TokenProviderContract {
  /** Shown in the suite's title. */
  name: string;
  /**
   * A new token account for each case, with nothing generated yet: a CloudAgent that issues tokens
   * (`createSimulator({ auth: 'token' })` from `@cloudagent-phone/simulator` does, and counts its
   * requests in `control.calls()`), and the providers under test pointed at it.
   */
  create: () => TokenAccountUnderTest | Promise<TokenAccountUnderTest>;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected getToken to fail');
}

/**
 * What the client relies on from a TokenProvider (`createClient({ auth: 'token', tokenProvider })`),
 * whatever holds the token: a token CloudAgent accepts, reused; one generation for concurrent
 * callers (each generation voids the previous token); a refused token replaced once, and only while
 * it is still the current one; a refused key as a TokenError with core's `auth_error` outcome, the
 * right key's token untouched; the caller's signal ends its own wait, not the generation others
 * share; never more than CloudAgent's 10 generations an hour (the 11th is a `rate_limited`
 * TokenError with `cause: 'token_cap'`, and nothing is sent).
 */
export function describeTokenProviderContract(contract: TokenProviderContract): void {
  describe(`TokenProvider contract: ${contract.name}`, () => {
    it('gives a token CloudAgent accepts, from one generation', async () => {
      const account = await contract.create();
      const token = await account.provider.getToken();
      expect(token).toBe(await account.currentToken());
      expect(await account.generations()).toBe(1);
    });

    it('gives the same token again without generating another', async () => {
      const account = await contract.create();
      const first = await account.provider.getToken();
      expect(await account.provider.getToken()).toBe(first);
      expect(await account.generations()).toBe(1);
    });

    it('gives 12 concurrent callers one token from one generation', async () => {
      const account = await contract.create();
      const tokens = await Promise.all(Array.from({ length: 12 }, () => account.provider.getToken()));
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).toBe(await account.currentToken());
      expect(await account.generations()).toBe(1);
    });

    it('replaces a refused token that is still the current one, once', async () => {
      const account = await contract.create();
      const first = await account.provider.getToken();
      const second = await account.provider.getToken({ rejected: first });
      expect(second).not.toBe(first);
      expect(second).toBe(await account.currentToken());
      expect(await account.generations()).toBe(2);
    });

    it('does not replace a refused token someone already replaced: it gives the current one', async () => {
      const account = await contract.create();
      const first = await account.provider.getToken();
      const second = await account.provider.getToken({ rejected: first });
      expect(await account.provider.getToken({ rejected: first })).toBe(second);
      expect(await account.generations()).toBe(2);
    });

    it('gives concurrent callers refusing the same token one replacement', async () => {
      const account = await contract.create();
      const first = await account.provider.getToken();
      const replaced = await Promise.all(Array.from({ length: 6 }, () => account.provider.getToken({ rejected: first })));
      expect(new Set(replaced).size).toBe(1);
      expect(replaced[0]).not.toBe(first);
      expect(await account.generations()).toBe(2);
    });

    it("refuses a key CloudAgent refuses with a TokenError (auth_error), leaving the right key's token current", async () => {
      const account = await contract.create();
      const token = await account.provider.getToken();
      const error = await rejection(account.providerWithWrongKey.getToken());
      expect(error).toBeInstanceOf(TokenError);
      expect((error as TokenError).outcome).toMatchObject({ kind: 'auth_error', retryable: false });
      expect(await account.currentToken()).toBe(token);
      expect(await account.provider.getToken()).toBe(token);
      // One check of the wrong key (CloudAgent refused it; nothing voided), none for the right one.
      expect(await account.generations()).toBe(2);
    });

    it("ends a caller's wait when its signal fires, and not the generation another caller shares", async () => {
      const account = await contract.create();
      const controller = new AbortController();
      const reason = new Error('the caller gave up');
      const leaving = rejection(account.provider.getToken({ signal: controller.signal }));
      const staying = account.provider.getToken();
      controller.abort(reason);
      expect(await leaving).toBe(reason);
      const token = await staying;
      expect(token).toBe(await account.currentToken());
      expect(await account.provider.getToken()).toBe(token);
      expect(await account.generations()).toBe(1);
    });

    it('generates at most 10 tokens an hour: the 11th is refused as rate_limited (token_cap), and not asked for', async () => {
      const account = await contract.create();
      let token = await account.provider.getToken();
      for (let i = 1; i < 10; i++) {
        // A few ms apart: the generations are counted by their times, and two in one millisecond
        // count once (a known limit of the token manager), which would let an
        // 11th through here to CloudAgent's own refusal. Real callers are never that fast.
        await new Promise((resolve) => setTimeout(resolve, 3));
        token = await account.provider.getToken({ rejected: token });
      }
      expect(await account.generations()).toBe(10);
      const error = await rejection(account.provider.getToken({ rejected: token }));
      expect(error).toBeInstanceOf(TokenError);
      const outcome = (error as TokenError).outcome;
      expect(outcome).toMatchObject({ kind: 'rate_limited', cause: 'token_cap', retryable: true });
      expect(outcome.kind === 'rate_limited' && outcome.retryAfterMs).toBeGreaterThan(0);
      expect(await account.generations()).toBe(10);
    });
  });
}
