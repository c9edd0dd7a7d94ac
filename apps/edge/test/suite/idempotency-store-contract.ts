import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS, type IdempotencyStore, type StoredAnswer } from '../../src/idempotency/store.js';

/**
 * What every IdempotencyStore must do, run against the in-memory store (Node) and the team's Durable
 * Object (inside workerd). Times are near the real clock, because a Durable Object's alarm sweeps by
 * the real clock: a key "created" in 1970 would be swept before the test looked at it.
 */
export function defineIdempotencyStoreContract(name: string, store: () => IdempotencyStore): void {
  const LEASE = 10_000;
  const answer = (body: string, extra: Partial<StoredAnswer> = {}): StoredAnswer => ({
    status: 200,
    contentType: 'application/json',
    body,
    outcome: 'success',
    requestId: 'req-1',
    ...extra,
  });
  const newTeam = () => `team-${crypto.randomUUID()}`;

  describe(`IdempotencyStore contract: ${name}`, () => {
    it('claims a new key once; the same key again is in flight until completed, then answers what was stored', async () => {
      const team = newTeam();
      const t0 = Date.now();
      expect(await store().claim(team, 'k1', 'fp-a', t0, LEASE)).toEqual({ state: 'claimed' });
      expect(await store().claim(team, 'k1', 'fp-a', t0 + 1, LEASE)).toEqual({ state: 'in_flight' });
      const first = answer('{"outcome":"success"}', { ambiguous: { message: 'dropped', cause: 'network' }, outcome: 'unknown', status: 502 });
      await store().complete(team, 'k1', first, t0 + 2);
      expect(await store().claim(team, 'k1', 'fp-a', t0 + 3, LEASE)).toEqual({ state: 'completed', answer: first });
    });

    it('the same key with another fingerprint is a mismatch, in flight or completed', async () => {
      const team = newTeam();
      const t0 = Date.now();
      await store().claim(team, 'k', 'fp-a', t0, LEASE);
      expect(await store().claim(team, 'k', 'fp-b', t0 + 1, LEASE)).toEqual({ state: 'mismatch' });
      await store().complete(team, 'k', answer('{}'), t0 + 2);
      expect(await store().claim(team, 'k', 'fp-b', t0 + 3, LEASE)).toEqual({ state: 'mismatch' });
    });

    it('keys belong to a team: the same key in another team is another key', async () => {
      const [a, b] = [newTeam(), newTeam()];
      const t0 = Date.now();
      await store().claim(a, 'shared', 'fp-a', t0, LEASE);
      await store().complete(a, 'shared', answer('{"team":"a"}'), t0);
      expect(await store().claim(b, 'shared', 'fp-b', t0 + 1, LEASE)).toEqual({ state: 'claimed' });
      expect(await store().claim(a, 'shared', 'fp-a', t0 + 2, LEASE)).toMatchObject({ state: 'completed', answer: { body: '{"team":"a"}' } });
    });

    it('a released key is forgotten: the next claim owns it, whatever it asks', async () => {
      const team = newTeam();
      const t0 = Date.now();
      await store().claim(team, 'k', 'fp-a', t0, LEASE);
      await store().release(team, 'k');
      expect(await store().claim(team, 'k', 'fp-b', t0 + 1, LEASE)).toEqual({ state: 'claimed' });
    });

    it('a claim left unfinished past its lease is abandoned, and taken over by the one that found it', async () => {
      const team = newTeam();
      const t0 = Date.now();
      await store().claim(team, 'k', 'fp-a', t0, LEASE);
      expect(await store().claim(team, 'k', 'fp-a', t0 + LEASE - 1, LEASE)).toEqual({ state: 'in_flight' });
      expect(await store().claim(team, 'k', 'fp-a', t0 + LEASE, LEASE)).toEqual({ state: 'abandoned' });
      // The taker now holds it: a second replay meanwhile waits instead of reading back too.
      expect(await store().claim(team, 'k', 'fp-a', t0 + LEASE + 1, LEASE)).toEqual({ state: 'in_flight' });
      await store().complete(team, 'k', answer('{"settled":true}'), t0 + LEASE + 2);
      expect(await store().claim(team, 'k', 'fp-a', t0 + LEASE + 3, LEASE)).toMatchObject({ state: 'completed' });
    });

    it('keys are kept 24 hours from the claim, then the same key starts anew', async () => {
      const team = newTeam();
      const t0 = Date.now();
      await store().claim(team, 'k', 'fp-a', t0, LEASE);
      await store().complete(team, 'k', answer('{"first":true}'), t0);
      expect(await store().claim(team, 'k', 'fp-b', t0 + IDEMPOTENCY_TTL_MS - 1, LEASE)).toEqual({ state: 'mismatch' });
      expect(await store().claim(team, 'k', 'fp-a', t0 + IDEMPOTENCY_TTL_MS - 1, LEASE)).toMatchObject({ state: 'completed' });
      expect(await store().claim(team, 'k', 'fp-b', t0 + IDEMPOTENCY_TTL_MS, LEASE)).toEqual({ state: 'claimed' });
    });

    it('of many concurrent claims of one key, exactly one wins', async () => {
      const team = newTeam();
      const t0 = Date.now();
      const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => store().claim(team, 'race', 'fp', t0 + i, LEASE)));
      expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in_flight')).toHaveLength(11);
    });

    it('keeps a key of 255 characters and any printable characters exactly', async () => {
      const team = newTeam();
      const t0 = Date.now();
      const key = `${' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'}${'x'.repeat(255 - 33)}`;
      expect(key).toHaveLength(255);
      await store().claim(team, key, 'fp', t0, LEASE);
      expect(await store().claim(team, key.slice(0, -1), 'fp', t0, LEASE)).toEqual({ state: 'claimed' });
      expect(await store().claim(team, key, 'fp', t0, LEASE)).toEqual({ state: 'in_flight' });
    });
  });
}
