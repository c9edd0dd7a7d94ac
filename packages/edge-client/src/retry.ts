/** How often and how patiently a call is repeated. */
export interface RetryPolicy {
  /** Further attempts after the first. Default 2. */
  maxRetries: number;
  /** First backoff, doubled each retry, with jitter. Default 250 ms. */
  baseDelayMs: number;
  /** No wait is longer: a Retry-After beyond it ends the retries and the answer is returned. Default 10 s. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Statuses worth another attempt. 429 and 503 were refused before anything was sent; 500, 502 and
 * 504 may have reached CloudAgent, which is safe only because every mutation carries an
 * Idempotency-Key (the edge replays or settles, never sends twice). 501 never changes.
 */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * Whether an answer is worth another attempt. A 409 with Retry-After is the edge saying the same
 * Idempotency-Key is still being answered (CloudAgent's own conflict carries none).
 */
export function isRetryable(status: number, headers: Headers): boolean {
  return RETRYABLE.has(status) || (status === 409 && headers.has('retry-after'));
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (0-based): the server's Retry-After when it gave one,
 * otherwise exponential backoff with jitter (half to all of the step). Undefined: do not retry.
 */
export function delayBeforeRetry(policy: RetryPolicy, retry: number, serverDelayMs: number | undefined, random = Math.random): number | undefined {
  if (serverDelayMs !== undefined) return serverDelayMs <= policy.maxDelayMs ? serverDelayMs : undefined;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(step / 2 + (random() * step) / 2);
}
