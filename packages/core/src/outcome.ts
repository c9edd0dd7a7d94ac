/**
 * What came of one call, in terms a program can branch on.
 *
 * - `success`: CloudAgent said the change was made (or, for get, returned the record).
 * - `partial_success`: the number was changed but the skills were not ("failed to insert skills").
 * - `auth_error`: user name, API key or token rejected.
 * - `invalid_action`: "action not valid".
 * - `validation_error`: CloudAgent rejected a value; `field` names it when the message does.
 * - `conflict`: "phone_name or phone_number already exist".
 * - `limit_exceeded`: the account's phone-number limit is reached.
 * - `rate_limited`: HTTP 429 or "Max limit exceeded"; `retryAfterMs` when the server said.
 * - `server_error`: not a CloudAgent answer: 5xx, an HTML page, an empty, truncated or non-object
 *   body, or a network failure.
 * - `unknown`: a well-formed CloudAgent answer whose message is not recognised (see classify.ts).
 */
export type OutcomeKind =
  | 'success'
  | 'partial_success'
  | 'auth_error'
  | 'invalid_action'
  | 'validation_error'
  | 'conflict'
  | 'limit_exceeded'
  | 'rate_limited'
  | 'server_error'
  | 'unknown';

export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'success',
  'partial_success',
  'auth_error',
  'invalid_action',
  'validation_error',
  'conflict',
  'limit_exceeded',
  'rate_limited',
  'server_error',
  'unknown',
];

export interface Outcome {
  kind: OutcomeKind;
  /** A readable sentence: the vendor's message with its padding and line breaks folded, or ours. */
  message: string;
  /** The operation field the vendor's message names (`phoneNumber`, `phoneName`, `skill`, `userName`). */
  field?: string;
  /**
   * Whether sending the very same request again, automatically, is safe: true for reads that failed
   * transiently and for mutations that provably did not reach the server (429, a refused connection).
   */
  retryable: boolean;
  /**
   * True when a mutation may or may not have been applied and this answer cannot tell which
   * (a 5xx, garbage, a timeout or reset after sending, a `success` with an unfamiliar message).
   * Resolve it by reading back, never by sending again.
   */
  ambiguous: boolean;
  /** HTTP status, when there was a response. */
  httpStatus?: number;
  /** The body's `status` field as sent (`success`, `error`, `false`). */
  vendorStatus?: string;
  /** The body's `message` field exactly as sent. */
  vendorMessage?: string;
  /** From `Retry-After`, in milliseconds, when present and parseable. */
  retryAfterMs?: number;
  /** From `x-request-id` (or similar) when the server sent one. */
  requestId?: string;
  /** For get: the record found. */
  data?: { phoneNumber: string; phoneName: string };
  /** For network failures: what went wrong (`timeout`, `connect_failed`, `reset`, ...). */
  cause?: string;
}
