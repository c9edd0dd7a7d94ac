/**
 * A fixed-window counter: exact counts, no approximation, which is what "a team may make N requests a
 * minute" promises. Pure, so the Durable Object and the in-memory limiter share one definition.
 */
export interface WindowState {
  windowStart: number;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export const WINDOW_MS = 60_000;

export function takeFromWindow(
  state: WindowState | undefined,
  now: number,
  limit: number,
  windowMs: number = WINDOW_MS,
): { state: WindowState; decision: RateDecision } {
  const current = state && now - state.windowStart < windowMs && now >= state.windowStart ? state : { windowStart: now, count: 0 };
  if (current.count >= limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((current.windowStart + windowMs - now) / 1000));
    return { state: current, decision: { allowed: false, limit, remaining: 0, retryAfterSeconds } };
  }
  const next = { windowStart: current.windowStart, count: current.count + 1 };
  return { state: next, decision: { allowed: true, limit, remaining: limit - next.count, retryAfterSeconds: 0 } };
}
