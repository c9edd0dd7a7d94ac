import type { RateLimiter } from './limiter.js';
import { takeFromLog, type AdmissionLog } from './window.js';

/** One process holds every count, so a Map is exact. (Several Node processes would each count alone.) */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const logs = new Map<string, AdmissionLog>();
  return {
    async take(team, limit, ceiling, count) {
      const { log, decision } = takeFromLog(logs.get(team), now(), limit, undefined, ceiling, count);
      logs.set(team, log);
      return decision;
    },
  };
}
