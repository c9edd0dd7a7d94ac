import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './memory.js';
import { admissionLogOf, takeFromLog, WINDOW_MS, type AdmissionLog } from './window.js';

/** Runs arrivals (ms, in order) through the log; returns the admitted times. */
function run(arrivals: readonly number[], limit: number): { admitted: number[]; refusedAt: number[] } {
  let log: AdmissionLog | undefined;
  const admitted: number[] = [];
  const refusedAt: number[] = [];
  for (const t of arrivals) {
    const r = takeFromLog(log, t, limit);
    log = r.log;
    (r.decision.allowed ? admitted : refusedAt).push(t);
  }
  return { admitted, refusedAt };
}

/** The most admissions inside any half-open 60 s window [t, t + 60 s). */
function busiestWindow(admitted: readonly number[]): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < admitted.length; end++) {
    while (admitted[end]! - admitted[start]! >= WINDOW_MS) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const arrivalPattern = fc
  .array(fc.integer({ min: 0, max: 3 * WINDOW_MS }), { minLength: 1, maxLength: 400 })
  .map((gaps) => {
    // Bursts, pauses and ties: cumulative sums of gaps drawn mostly small.
    let t = 1_000_000;
    return gaps.map((g) => (t += g % 7 === 0 ? g : g % 997));
  });

describe('takeFromLog (sliding log)', () => {
  it('property: for any arrival pattern, at most N admitted in any 60 s window', () => {
    fc.assert(
      fc.property(arrivalPattern, fc.integer({ min: 1, max: 60 }), (arrivals, limit) => {
        expect(busiestWindow(run(arrivals, limit).admitted)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a request is refused only when N were admitted in the 60 s before it (never stricter than the promise)', () => {
    fc.assert(
      fc.property(arrivalPattern, fc.integer({ min: 1, max: 60 }), (arrivals, limit) => {
        const { admitted, refusedAt } = run(arrivals, limit);
        for (const t of refusedAt) expect(admitted.filter((a) => a <= t && a > t - WINDOW_MS).length).toBe(limit);
      }),
      { numRuns: 300 },
    );
  });

  it('lets no burst through across what used to be a window boundary (the 119-in-0.82 s finding)', () => {
    const arrivals = [...Array.from({ length: 60 }, (_, i) => 59_500 + i), ...Array.from({ length: 60 }, (_, i) => 60_100 + i * 10)];
    const { admitted } = run(arrivals, 60);
    expect(admitted).toHaveLength(60);
  });

  it('refuses with the seconds until the oldest admission leaves the window, never 0', () => {
    let log: AdmissionLog | undefined;
    const decisions = [];
    for (let i = 0; i < 4; i++) {
      const r = takeFromLog(log, 1_000 + i * 1000, 3);
      log = r.log;
      decisions.push(r.decision);
    }
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]!.retryAfterSeconds).toBe(57);
    expect(takeFromLog(log, 1_000 + WINDOW_MS - 1, 3).decision.retryAfterSeconds).toBe(1);
    expect(takeFromLog(log, 1_000 + WINDOW_MS, 3).decision.allowed).toBe(true);
  });

  it('keeps at most N times, and a clock that steps back opens no room', () => {
    let log: AdmissionLog | undefined;
    for (let i = 0; i < 50; i++) log = takeFromLog(log, 10_000 + i, 5).log;
    expect(log!.admitted).toHaveLength(5);
    expect(takeFromLog(log, 0, 5).decision.allowed).toBe(false);
  });

  it('a busy team\'s log (a fast job booking 25 at a time) drops exactly what left the window', () => {
    let log: AdmissionLog | undefined;
    // 4,000 bookings of 25, 10 ms apart: 100,000 admissions between 1 s and 41 s.
    for (let i = 0; i < 4000; i++) log = takeFromLog(log, 1_000 + i * 10, 1_000_000, WINDOW_MS, 500_000, 25).log;
    expect(log!.admitted).toHaveLength(100_000);
    // At 81 s, the bookings made up to 21 s (the first 2,001) have left the window.
    const later = takeFromLog(log, 81_000, 1_000_000, WINDOW_MS, 500_000, 1);
    expect(later.decision).toMatchObject({ allowed: true, granted: 1 });
    expect(later.log.admitted).toHaveLength(100_000 - 2001 * 25 + 1);
    expect(later.log.admitted[0]).toBe(21_010);
  });

  it('reads an older stored shape as an empty log', () => {
    expect(admissionLogOf({ windowStart: 0, count: 5 })).toEqual({ admitted: [] });
    expect(admissionLogOf(undefined)).toEqual({ admitted: [] });
    expect(admissionLogOf({ admitted: [1, 2] })).toEqual({ admitted: [1, 2] });
  });
});

describe('takeFromLog with a ceiling (a bulk job\'s share)', () => {
  it('property: calls booked with ceiling N/2 never exceed N/2 in a window, and never keep interactive calls from the other half', () => {
    fc.assert(
      fc.property(arrivalPattern, fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }), (arrivals, isJob) => {
        const limit = 10;
        let log: AdmissionLog | undefined;
        const jobs: number[] = [];
        const interactive: number[] = [];
        arrivals.forEach((t, i) => {
          const job = isJob[i]!;
          const r = takeFromLog(log, t, limit, WINDOW_MS, job ? limit / 2 : limit);
          log = r.log;
          if (!r.decision.allowed) {
            // An interactive call is refused only when the whole window is full, jobs included.
            if (!job) expect(log.admitted.filter((a) => a > t - WINDOW_MS)).toHaveLength(limit);
            return;
          }
          (job ? jobs : interactive).push(t);
        });
        expect(busiestWindow(jobs)).toBeLessThanOrEqual(limit / 2);
        expect(busiestWindow([...jobs, ...interactive].sort((a, b) => a - b))).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it('keeps counting up to the full limit, so a ceiling booking does not forget interactive calls', () => {
    let log: AdmissionLog | undefined;
    for (let i = 0; i < 8; i++) log = takeFromLog(log, 1000 + i, 10).log;
    const job = takeFromLog(log, 2000, 10, WINDOW_MS, 5);
    expect(job.decision).toMatchObject({ allowed: false, limit: 5, remaining: 0 });
    expect(job.log.admitted).toHaveLength(8);
    expect(takeFromLog(job.log, 2001, 10).decision).toMatchObject({ allowed: true, remaining: 1 });
  });
});

describe('createMemoryRateLimiter', () => {
  it('counts each team separately and exactly under concurrent calls', async () => {
    const limiter = createMemoryRateLimiter(() => 5_000);
    const a = await Promise.all(Array.from({ length: 10 }, () => limiter.take('a', 7)));
    const b = await limiter.take('b', 7);
    expect(a.filter((d) => d.allowed)).toHaveLength(7);
    expect(b.allowed).toBe(true);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a team named %s has its own count', async (name) => {
    const limiter = createMemoryRateLimiter(() => 5_000);
    expect((await limiter.take(name, 1)).allowed).toBe(true);
    expect((await limiter.take(name, 1)).allowed).toBe(false);
    expect((await limiter.take('other', 1)).allowed).toBe(true);
  });
});
