import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/rate-limit/limiter.js';

/**
 * What every RateLimiter must do (a sliding minute per team), run against the in-memory limiter
 * (Node) and the TeamRateLimiter Durable Object (inside workerd). On the real clock, because the
 * Durable Object reads it; each case uses teams of its own, so nothing carries over between cases.
 */
export function defineRateLimiterContract(name: string, limiter: () => RateLimiter): void {
  const newTeam = () => `team-${crypto.randomUUID()}`;

  describe(`RateLimiter contract: ${name}`, () => {
    it('admits up to the limit, counting down what remains, then refuses with a Retry-After within the minute', async () => {
      const rate = limiter();
      const team = newTeam();
      const admitted = [await rate.take(team, 3), await rate.take(team, 3), await rate.take(team, 3)];
      expect(admitted).toEqual([0, 1, 2].map((i) => ({ allowed: true, limit: 3, remaining: 2 - i, retryAfterSeconds: 0, granted: 1 })));
      const refused = await rate.take(team, 3);
      expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    });

    it('keeps refusing once the limit is reached (a refusal takes no room and makes none)', async () => {
      const rate = limiter();
      const team = newTeam();
      await rate.take(team, 1);
      const refusals = [await rate.take(team, 1), await rate.take(team, 1), await rate.take(team, 1)];
      for (const refusal of refusals) expect(refusal).toMatchObject({ allowed: false, remaining: 0 });
    });

    it('counts each team on its own', async () => {
      const rate = limiter();
      const [a, b] = [newTeam(), newTeam()];
      expect((await rate.take(a, 1)).allowed).toBe(true);
      expect((await rate.take(a, 1)).allowed).toBe(false);
      expect(await rate.take(b, 1)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('is exact under concurrent calls: 10 at once against a limit of 7 admit exactly 7', async () => {
      const rate = limiter();
      const team = newTeam();
      const decisions = await Promise.all(Array.from({ length: 10 }, () => rate.take(team, 7)));
      const allowed = decisions.filter((d) => d.allowed);
      expect(allowed).toHaveLength(7);
      expect(allowed.map((d) => d.remaining).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it('applies a lowered limit at once', async () => {
      const rate = limiter();
      const team = newTeam();
      for (let i = 0; i < 3; i++) expect((await rate.take(team, 5)).allowed).toBe(true);
      expect(await rate.take(team, 2)).toMatchObject({ allowed: false, limit: 2, remaining: 0 });
    });

    it("a bulk job's share: booked under a ceiling, admitted only below it, while the team's calls still count up to the limit", async () => {
      const rate = limiter();
      const team = newTeam();
      // Two interactive calls, then a job booking with ceiling 3 of a limit of 6: one more fits.
      await rate.take(team, 6);
      await rate.take(team, 6);
      expect(await rate.take(team, 6, 3)).toMatchObject({ allowed: true, limit: 3, remaining: 0, granted: 1 });
      const job = await rate.take(team, 6, 3);
      expect(job).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
      expect(job.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      // The interactive calls keep the rest of the limit.
      expect(await rate.take(team, 6)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('books several at once, as many as there is room for under the ceiling', async () => {
      const rate = limiter();
      const team = newTeam();
      expect(await rate.take(team, 100, 10, 4)).toMatchObject({ allowed: true, granted: 4, remaining: 6 });
      expect(await rate.take(team, 100, 10, 25)).toMatchObject({ allowed: true, granted: 6, remaining: 0 });
      expect((await rate.take(team, 100, 10, 1)).allowed).toBe(false);
      expect(await rate.take(team, 100)).toMatchObject({ allowed: true, remaining: 89 });
    });

    // Named exactly so (not made unique): each name is used by this one case of the run.
    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('gives a team named %s a count of its own', async (team) => {
      const rate = limiter();
      const other = newTeam();
      expect((await rate.take(team, 1)).allowed).toBe(true);
      expect((await rate.take(team, 1)).allowed).toBe(false);
      expect((await rate.take(other, 1)).allowed).toBe(true);
    });
  });
}
