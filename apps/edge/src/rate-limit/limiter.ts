import type { RateDecision } from './window.js';

/** One interface, two homes: a Durable Object per team on Workers, a Map in memory on Node. */
export interface RateLimiter {
  /** `ceiling`: admit only below it (a bulk job's share of the team's limit); see takeFromLog. */
  take(team: string, limit: number, ceiling?: number): Promise<RateDecision>;
}
