import { isMutation, type PhoneAction } from './operation.js';
import { createOutcome, isAmbiguous, type Delivery, type FailureCode, type Outcome } from './outcome.js';

export type { Delivery, FailureCode } from './outcome.js';

export interface TransportFailure {
  code: FailureCode;
  delivery: Delivery;
  message?: string;
}

const FAILURE_TEXT: Record<FailureCode, string> = {
  timeout: 'no answer before the timeout',
  aborted: 'the request was cancelled',
  connect_failed: 'could not connect to CloudAgent',
  dns: 'could not resolve the CloudAgent host',
  reset: 'the connection was dropped',
  tls: 'the TLS handshake failed',
  network: 'a network error occurred',
  invalid_request: 'the request could not be built (a header or the URL holds a character HTTP cannot carry); nothing was sent',
};

/**
 * The outcome of a request that got no response. For a mutation that may have been delivered the
 * answer is `unknown` and ambiguous: it must be read back, never re-sent. A read, or anything that
 * provably never left, may be retried (except a cancellation, which the caller asked for).
 */
export function failureOutcome(failure: TransportFailure, action: PhoneAction): Outcome {
  const mutation = isMutation(action);
  const delivered = failure.delivery === 'maybe_sent';
  const message = FAILURE_TEXT[failure.code] ?? FAILURE_TEXT.network;
  if (mutation && delivered) {
    return createOutcome(action, { kind: 'unknown', message: `${message}; the change may or may not have been applied`, retryable: false, cause: failure.code });
  }
  // A cancellation was asked for, and a request that cannot be built will not build next time either.
  const retryable = failure.code !== 'aborted' && failure.code !== 'invalid_request';
  return createOutcome(action, { kind: 'server_error', message, retryable, cause: failure.code });
}

/** Whether the client may send the same request again on its own. */
export function mayRetry(outcome: Outcome, attempt: number, maxRetries: number): boolean {
  return outcome.retryable && !isAmbiguous(outcome) && attempt < maxRetries;
}

/** Whether a mutation's outcome must be settled by reading back before anyone acts on it. */
export function needsReadBack(action: PhoneAction, outcome: Outcome): boolean {
  return isMutation(action) && isAmbiguous(outcome);
}

export interface BackoffOptions {
  /** First delay, in ms. Default 500. */
  baseMs?: number;
  /** Longest delay, in ms, whatever Retry-After says. Default 30 000. */
  maxMs?: number;
  /** A number in [0, 1): injected so that the policy stays pure and testable. */
  random: number;
  /** The server's Retry-After, in ms, which wins over the computed delay (up to maxMs). */
  retryAfterMs?: number;
}

/**
 * Exponential backoff with full jitter: attempt 0 waits in [base/2, base), attempt n in
 * [base*2^n/2, base*2^n), capped at maxMs. A server's Retry-After is honoured, capped the same way.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  if (options.retryAfterMs !== undefined) return Math.min(Math.max(0, options.retryAfterMs), max);
  const ceiling = Math.min(max, base * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * options.random);
}
