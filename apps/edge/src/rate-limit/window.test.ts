import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './memory.js';
import { takeFromWindow, WINDOW_MS, type WindowState } from './window.js';

describe('takeFromWindow', () => {
  it('allows exactly the limit within one window, then refuses with the seconds left', () => {
    let state: WindowState | undefined;
    const decisions = [];
    for (let i = 0; i < 4; i++) {
      const r = takeFromWindow(state, 1_000 + i * 1000, 3);
      state = r.state;
      decisions.push(r.decision);
    }
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]!.retryAfterSeconds).toBe(57);
  });

  it('starts a fresh window once the old one has passed', () => {
    const full = { windowStart: 0, count: 5 };
    expect(takeFromWindow(full, WINDOW_MS - 1, 5).decision.allowed).toBe(false);
    const later = takeFromWindow(full, WINDOW_MS, 5);
    expect(later.decision).toEqual({ allowed: true, limit: 5, remaining: 4, retryAfterSeconds: 0 });
  });

  it('never answers Retry-After 0 to a refusal', () => {
    expect(takeFromWindow({ windowStart: 0, count: 1 }, WINDOW_MS - 1, 1).decision.retryAfterSeconds).toBe(1);
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
});
