import { VENDOR_MESSAGES, normalizeMessage, type Outcome, type VendorMessageKey } from '@cloudagent-phone/core';
import { notAppliedAnswer, unknownOutcomeAnswer, vendorAnswer, type V1Answer } from './v1-answer.js';

/** v1's own error messages, by their folded form, so v2's wording maps back to v1's exact bytes. */
const V1_ERRORS: ReadonlyMap<string, VendorMessageKey> = new Map(
  (['authInvalid', 'actionInvalid', 'numberNotNumeric', 'nameEmpty', 'numberEmpty', 'alreadyExists', 'numberLength', 'nameRule', 'limitExceeded'] as const).map(
    (key) => [normalizeMessage(VENDOR_MESSAGES[key]), key],
  ),
);

function fieldMessage(outcome: Outcome): VendorMessageKey | undefined {
  if (outcome.vendorMessage !== undefined) {
    const known = V1_ERRORS.get(normalizeMessage(outcome.vendorMessage));
    if (known) return known;
  }
  if (outcome.field === 'userName') return 'authInvalid';
  return undefined;
}

/**
 * What a v1 caller is told about what v2 did. The rule that matters: `success` only when v2 said
 * success or a read-back proved the change is there.
 *
 * - v2's documented answers come back as v1's exact strings (v2's padding and line breaks folded away
 *   and v1's restored), including 401 "Missing userName or apiKey", which v1 called "userName or
 *   apiKey not valid".
 * - "already exist" stays "already exist" even when the client's read-back found the record as asked:
 *   the shim never re-sends, so the earlier write was the caller's own, and v1 said "already exist".
 * - a skill list with an empty entry, dropped before sending, turns a v2 success into v1's partial
 *   success ("failed to insert skills"): what v1 answered for a missing skill value.
 * - rate limiting: HTTP 200 and "Max limit exceeded", the sibling v1 APIs' words, with Retry-After.
 * - anything v2 refused in words v1 never used is passed on verbatim (status error).
 * - no answer at all, or an answer that does not say: see v1-answer.ts (502 / 504).
 */
export function answerFromV2(outcome: Outcome, options: { skillsDropped?: boolean } = {}): V1Answer {
  const vendorKey = outcome.vendorMessage !== undefined ? V1_ERRORS.get(normalizeMessage(outcome.vendorMessage)) : undefined;
  if (vendorKey === 'alreadyExists') return vendorAnswer('alreadyExists', 'conflict');
  if (outcome.ambiguous) return unknownOutcomeAnswer();
  switch (outcome.kind) {
    case 'success':
      return options.skillsDropped ? vendorAnswer('partialSkills', 'partial_success') : vendorAnswer('success', 'success');
    case 'partial_success':
      return vendorAnswer('partialSkills', 'partial_success');
    case 'auth_error':
      return vendorAnswer('authInvalid', 'auth_error');
    case 'invalid_action':
      return vendorAnswer('actionInvalid', 'invalid_action');
    case 'conflict':
      return vendorAnswer('alreadyExists', 'conflict');
    case 'limit_exceeded':
      return vendorAnswer('limitExceeded', 'limit_exceeded');
    case 'validation_error': {
      const key = fieldMessage(outcome);
      if (key) return vendorAnswer(key, 'validation_error');
      break;
    }
    case 'rate_limited':
      return {
        httpStatus: 200,
        status: 'error',
        message: VENDOR_MESSAGES.rateLimited,
        outcome: 'rate_limited',
        v1Message: false,
        headers: { 'Retry-After': String(Math.max(1, Math.ceil((outcome.retryAfterMs ?? 1000) / 1000))) },
      };
    case 'server_error':
      return notAppliedAnswer();
    case 'unknown':
      break;
  }
  if (outcome.vendorMessage !== undefined && outcome.vendorStatus !== undefined) {
    return { httpStatus: 200, status: 'error', message: outcome.vendorMessage, outcome: outcome.kind, v1Message: false };
  }
  // Not a CloudAgent answer and not ambiguous: nothing was applied.
  return notAppliedAnswer();
}
