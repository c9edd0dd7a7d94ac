import { describe, expect, it } from 'vitest';
import { backoffDelay, failureOutcome, mayRetry, needsReadBack } from './policy.js';
import { classify } from './classify.js';

describe('failureOutcome', () => {
  it('a mutation that may have been delivered is unknown and must not be retried', () => {
    for (const code of ['timeout', 'reset'] as const) {
      const o = failureOutcome({ code, delivery: 'maybe_sent' }, 'edit');
      expect(o).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false, cause: code });
      expect(mayRetry(o, 0, 5)).toBe(false);
      expect(needsReadBack('edit', o)).toBe(true);
    }
  });
  it('a mutation that provably never left may be retried', () => {
    const o = failureOutcome({ code: 'connect_failed', delivery: 'not_sent' }, 'create');
    expect(o).toMatchObject({ kind: 'server_error', retryable: true });
    expect(mayRetry(o, 0, 2)).toBe(true);
    expect(mayRetry(o, 2, 2)).toBe(false);
  });
  it('a read may be retried after a timeout; a cancellation is never retried', () => {
    expect(failureOutcome({ code: 'timeout', delivery: 'maybe_sent' }, 'get').retryable).toBe(true);
    expect(failureOutcome({ code: 'aborted', delivery: 'not_sent' }, 'get').retryable).toBe(false);
  });
  it('never retries a mutation after a 5xx, always after a 429', () => {
    expect(mayRetry(classify({ status: 503, body: '' }, 'delete'), 0, 3)).toBe(false);
    expect(mayRetry(classify({ status: 429, body: '{"status":"error","message":"Max limit exceeded"}' }, 'delete'), 0, 3)).toBe(true);
    // A bare 429 page may come from a gateway that passed the request on first.
    expect(mayRetry(classify({ status: 429, body: '' }, 'delete'), 0, 3)).toBe(false);
    expect(mayRetry(classify({ status: 200, body: '{"status":"error","message":"action not valid"}' }, 'get'), 0, 3)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter inside [ceiling/2, ceiling], capped', () => {
    expect(backoffDelay(0, { random: 0 })).toBe(250);
    expect(backoffDelay(0, { random: 0.999 })).toBeLessThanOrEqual(500);
    expect(backoffDelay(3, { random: 0 })).toBe(2000);
    expect(backoffDelay(30, { random: 0.5, maxMs: 10_000 })).toBeLessThanOrEqual(10_000);
  });
  it('honours Retry-After, capped', () => {
    expect(backoffDelay(0, { random: 0.5, retryAfterMs: 7000 })).toBe(7000);
    expect(backoffDelay(0, { random: 0.5, retryAfterMs: 3_600_000, maxMs: 30_000 })).toBe(30_000);
  });
});
