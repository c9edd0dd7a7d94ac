import type { RateDecision } from './window.js';

/** One interface, two homes: a Durable Object per team on Workers, a Map in memory on Node. */
export interface RateLimiter {
  /** `ceiling`: admit only below it (a bulk job's share of the team's limit); `count`: up to that many at once. See takeFromLog. */
  take(team: string, limit: number, ceiling?: number, count?: number): Promise<RateDecision>;
}
