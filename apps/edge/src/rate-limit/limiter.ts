import type { RateDecision } from './window.js';

/** One interface, two homes: a Durable Object per team on Workers, a Map in memory on Node. */
export interface RateLimiter {
  take(team: string, limit: number): Promise<RateDecision>;
}
