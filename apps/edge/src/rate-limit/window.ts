/**
 * A sliding log of admission times: a request is admitted only if fewer than `limit` were admitted
 * in the 60 s before it, so no 60-second window, wherever it starts, ever holds more than `limit`
 * admissions (a fixed window lets 2x through across a boundary; a token bucket lets a full bucket
 * plus its refill through). The log holds at most `limit` times. One definition for the Durable
 * Object and the in-memory limiter; it updates the log it is given and returns it.
 */
export interface AdmissionLog {
  /** Admission times, ms, oldest first; only those inside the last window are kept. */
  admitted: number[];
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until a request would be admitted again (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
  /** When allowed: how many of the `count` asked for were admitted (1 for a single request). */
  granted?: number;
}

export const WINDOW_MS = 60_000;

/** Reads a stored log, or starts an empty one for anything else (an older shape, nothing stored). */
export function admissionLogOf(stored: unknown): AdmissionLog {
  const admitted = (stored as { admitted?: unknown } | undefined)?.admitted;
  return Array.isArray(admitted) && admitted.every((t) => typeof t === 'number' && Number.isFinite(t)) ? { admitted: [...admitted] } : { admitted: [] };
}

/**
 * `ceiling` (at most `limit`): admit only while fewer than that many are in the window, though the
 * log keeps counting up to `limit`. A bulk job books its calls with half the team's limit as its
 * ceiling, so jobs never take more than half and interactive calls always find the other half.
 * `count`: admit up to that many at once (a job books a second of its own rate in one call), as
 * many as there is room for.
 */
export function takeFromLog(
  log: AdmissionLog | undefined,
  now: number,
  limit: number,
  windowMs: number = WINDOW_MS,
  ceiling: number = limit,
  count = 1,
): { log: AdmissionLog; decision: RateDecision } {
  const recent = log?.admitted ?? [];
  // A clock that steps back must not open room: time is taken as never earlier than the last admission.
  const at = recent.length > 0 ? Math.max(now, recent[recent.length - 1]!) : now;
  let first = 0;
  while (first < recent.length && recent[first]! <= at - windowMs) first++;
  // Trimmed in place, not copied: a busy team's log holds a minute of its calls (a copy per call
  // cost a fast bulk job more than the rest of its booking). A lowered limit: only the newest
  // `limit` entries can matter.
  recent.splice(0, Math.max(first, recent.length - limit));
  // (A ceiling is 1 or more: a job's share is at least one request a minute.)
  const admitUpTo = Math.min(limit, ceiling);
  if (recent.length >= admitUpTo) {
    // Admitted again once enough of the admissions that still count leave the window.
    const retryAfterSeconds = Math.max(1, Math.ceil((recent[recent.length - admitUpTo]! + windowMs - at) / 1000));
    return { log: { admitted: recent }, decision: { allowed: false, limit: admitUpTo, remaining: 0, retryAfterSeconds } };
  }
  const granted = Math.min(count, admitUpTo - recent.length);
  for (let i = 0; i < granted; i++) recent.push(at);
  return { log: { admitted: recent }, decision: { allowed: true, limit: admitUpTo, remaining: admitUpTo - recent.length, retryAfterSeconds: 0, granted } };
}
