import { VENDOR_MESSAGES, type VendorMessageKey } from '@cloudagent-phone/core';

/**
 * What the v1 door answers. v1 answered HTTP 200 with `{"status":...,"message":...}` for every
 * outcome it knew; the body is built by JSON.stringify, which for these strings gives the same bytes
 * as PHP's json_encode (no spaces, `\n` for a line break, no `/` or non-ASCII in any message).
 */
export interface V1Answer {
  httpStatus: number;
  status: 'success' | 'error';
  message: string;
  /** The metric label for this outcome: core's kind, or `rejected-locally`, `not-applied`, `outcome-unknown`, ... */
  outcome: string;
  /** False when the message is not one of v1's documented strings (shim-only or v2's own words). */
  v1Message: boolean;
  headers?: Record<string, string>;
}

export function v1Body(answer: Pick<V1Answer, 'status' | 'message'>): string {
  return JSON.stringify({ status: answer.status, message: answer.message });
}

/** One of v1's documented answers, verbatim. */
export function vendorAnswer(key: VendorMessageKey, outcome: string): V1Answer {
  const success = key === 'success' || key === 'partialSkills';
  return { httpStatus: 200, status: success ? 'success' : 'error', message: VENDOR_MESSAGES[key], outcome, v1Message: true };
}

/**
 * Answers v1 never gave, because v1 never sat in front of another server. Decided here, once:
 * - provably nothing was applied (v2 was never reached, or reading back showed it): HTTP 502,
 *   status `error`, and a message that says a retry is safe (`X-Shim-Outcome: not-applied`).
 * - the change may or may not have been applied, and reading back could not tell: HTTP 504, status
 *   `error` (never `success`: only v2 or a read-back may say that), a message that says to check before
 *   sending again (`X-Shim-Outcome: unknown`). A caller that treats any non-200 as "try later" at
 *   least gets there through a check, not a blind resend.
 * - the shim itself is switched off for this account and there is no legacy host: HTTP 503.
 */
export const SHIM_MESSAGES = {
  notApplied: 'CloudAgent v2 did not apply this change (it was never sent, or reading back proved it); nothing was changed, it is safe to send the request again',
  outcomeUnknown: 'outcome unknown: CloudAgent v2 may or may not have applied this change; check the number before sending the request again',
  unavailable: 'service temporarily unavailable; nothing was changed, try again later',
  internal: 'internal error in the v1 shim; nothing was sent to CloudAgent',
} as const;

export function notAppliedAnswer(): V1Answer {
  return { httpStatus: 502, status: 'error', message: SHIM_MESSAGES.notApplied, outcome: 'not-applied', v1Message: false, headers: { 'X-Shim-Outcome': 'not-applied' } };
}

export function unknownOutcomeAnswer(): V1Answer {
  return { httpStatus: 504, status: 'error', message: SHIM_MESSAGES.outcomeUnknown, outcome: 'outcome-unknown', v1Message: false, headers: { 'X-Shim-Outcome': 'unknown' } };
}

/** A request refused before it was read (too large, too slow, HEAD, ...): v1's envelope, never `success`. */
export function refusedRequestAnswer(httpStatus: number, message: string): V1Answer {
  return { httpStatus, status: 'error', message, outcome: 'refused', v1Message: false, headers: { 'X-Shim-Outcome': 'not-applied' } };
}

export function unavailableAnswer(): V1Answer {
  return { httpStatus: 503, status: 'error', message: SHIM_MESSAGES.unavailable, outcome: 'unavailable', v1Message: false, headers: { 'X-Shim-Outcome': 'not-applied', 'Retry-After': '60' } };
}
