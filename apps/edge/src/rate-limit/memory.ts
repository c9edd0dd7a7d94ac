import type { RateLimiter } from './limiter.js';
import { takeFromWindow, type WindowState } from './window.js';

/** One process holds every count, so a Map is exact. (Several Node processes would each count alone.) */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, WindowState>();
  return {
    async take(team, limit) {
      const { state, decision } = takeFromWindow(windows.get(team), now(), limit);
      windows.set(team, state);
      return decision;
    },
  };
}
