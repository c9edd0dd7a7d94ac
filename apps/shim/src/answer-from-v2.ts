import { VENDOR_MESSAGES, fieldOf, nextStep, normalizeMessage, type Outcome, type PhoneAction, type VendorMessageKey } from '@cloudagent-phone/core';
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
  if (fieldOf(outcome) === 'userName') return 'authInvalid';
  return undefined;
}

/** CloudAgent's refusal in its own words (v2's), passed on verbatim as a v1 error. */
function verbatim(outcome: Outcome): V1Answer {
  return { httpStatus: 200, status: 'error', message: outcome.vendorMessage ?? outcome.message, outcome: outcome.kind, v1Message: false };
}

/**
 * What a v1 caller is told about what v2 did: a rendering of core's `nextStep`, in v1's words.
 * The rules that matter: `success` only when v2 said so or a read-back proved it; "safe to send
 * again" (502, `X-Shim-Outcome: not-applied`) only with proof that nothing was applied (core's
 * `resend_safe`: it never left, or a read-back showed it); anything that may have been applied is
 * 504 "check first" (`X-Shim-Outcome: unknown`).
 *
 * - v2's documented answers come back as v1's exact strings (v2's padding and line breaks folded away
 *   and v1's restored), including 401 "Missing userName or apiKey", which v1 called "userName or
 *   apiKey not valid".
 * - "already exist" stays "already exist": the shim's client does not read conflicts back, since v1
 *   answered "already exist" whatever the record looked like.
 * - a skill list with an empty entry, dropped before sending, turns a v2 success into v1's partial
 *   success ("failed to insert skills"): what v1 answered for a missing skill value.
 * - rate limiting: HTTP 200 and "Max limit exceeded", the sibling v1 APIs' words, with Retry-After.
 * - a refusal v1 had no words for (not found, a refusal in unfamiliar words) is passed on verbatim.
 */
export function answerFromV2(outcome: Outcome, action: PhoneAction, options: { skillsDropped?: boolean } = {}): V1Answer {
  const step = nextStep(outcome, action);
  switch (step.step) {
    case 'done':
      if (step.skillsNotApplied || options.skillsDropped) return vendorAnswer('partialSkills', 'partial_success');
      return vendorAnswer('success', 'success');
    case 'fix_credentials':
      return vendorAnswer('authInvalid', 'auth_error');
    case 'fix_input':
      switch (step.reason) {
        case 'conflict':
          return vendorAnswer('alreadyExists', 'conflict');
        case 'action':
          return vendorAnswer('actionInvalid', 'invalid_action');
        case 'limit':
          return vendorAnswer('limitExceeded', 'limit_exceeded');
        case 'invalid': {
          const key = fieldMessage(outcome);
          return key ? vendorAnswer(key, 'validation_error') : verbatim(outcome);
        }
        case 'refused':
          return verbatim(outcome);
      }
      return verbatim(outcome);
    case 'not_found':
      return verbatim(outcome);
    case 'wait_and_retry':
      return {
        httpStatus: 200,
        status: 'error',
        message: VENDOR_MESSAGES.rateLimited,
        outcome: 'rate_limited',
        v1Message: false,
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(step.delayMs / 1000))) },
      };
    case 'resend_safe':
      return notAppliedAnswer();
    case 'look_up_first':
      return unknownOutcomeAnswer();
  }
}
