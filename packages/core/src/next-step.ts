import { isMutation, type PhoneAction } from './operation.js';
import type { Outcome } from './outcome.js';

/** When CloudAgent is rate-limiting and did not say for how long. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 30_000;
/** Before looking again after a failed lookup that gave no delay. */
export const DEFAULT_RETRY_DELAY_MS = 5_000;

/**
 * What the caller may do next, decided once for every app:
 *
 * - `done`: nothing to do (`skillsNotApplied`: the number changed, the skills did not; send the
 *   skills again on their own).
 * - `resend_safe`: provably nothing was applied (it never left, or a read-back showed it): sending
 *   the same request again is safe.
 * - `look_up_first`: the change may or may not have been applied: look the number up before anything.
 * - `fix_input`: CloudAgent refused the request as it is (`reason` says how; `field` when known).
 * - `fix_credentials`: the user name, API key or token were refused.
 * - `wait_and_retry`: try again after `delayMs` (rate limited, or a lookup that failed).
 * - `not_found`: the number or the name does not exist (`nameMismatch`: the name is not the number's).
 *
 * Every step carries `hint`: one sentence saying so, for apps that print one.
 */
export type NextStep =
  | { step: 'done'; skillsNotApplied: boolean; hint: string }
  | { step: 'resend_safe'; hint: string }
  | { step: 'look_up_first'; hint: string }
  | { step: 'fix_input'; reason: FixInputReason; field?: string; hint: string }
  | { step: 'fix_credentials'; hint: string }
  | { step: 'wait_and_retry'; delayMs: number; hint: string }
  | { step: 'not_found'; field?: 'phoneNumber' | 'phoneName'; nameMismatch: boolean; hint: string };

export type NextStepName = NextStep['step'];

/** Why the input must change: CloudAgent's validation, a taken number or name, the account's limit, the action, or a refusal in its own words. */
export type FixInputReason = 'invalid' | 'conflict' | 'limit' | 'action' | 'refused';

export const NEXT_STEPS: readonly NextStepName[] = ['done', 'resend_safe', 'look_up_first', 'fix_input', 'fix_credentials', 'wait_and_retry', 'not_found'];

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** What the caller may do after `outcome` of `action`. Pure and total. */
export function nextStep(outcome: Outcome, action: PhoneAction): NextStep {
  const mutation = isMutation(action);
  switch (outcome.kind) {
    case 'success':
      return { step: 'done', skillsNotApplied: false, hint: mutation ? 'done' : 'found' };
    case 'partial_success':
      return { step: 'done', skillsNotApplied: true, hint: 'the number was changed but the skills were not: check the skill names and send the skill change again' };
    case 'auth_error':
      return { step: 'fix_credentials', hint: 'check the user name and the API key (or token) of the account; nothing was changed' };
    case 'invalid_action':
      return { step: 'fix_input', reason: 'action', hint: 'CloudAgent does not accept this action; nothing was changed' };
    case 'validation_error':
      return {
        step: 'fix_input',
        reason: 'invalid',
        ...(outcome.field !== undefined ? { field: outcome.field } : {}),
        hint: `fix ${outcome.field ?? 'the input'} and send it again; nothing was changed`,
      };
    case 'conflict':
      return { step: 'fix_input', reason: 'conflict', hint: 'the number or the name is already taken: choose another; nothing was changed' };
    case 'limit_exceeded':
      return { step: 'fix_input', reason: 'limit', hint: "the account's phone-number limit is reached: delete a number or raise the limit; nothing was changed" };
    case 'rejected':
      return { step: 'fix_input', reason: 'refused', hint: 'CloudAgent refused the request in its own words (see the message); nothing was changed' };
    case 'not_found':
      return {
        step: 'not_found',
        ...(outcome.field !== undefined ? { field: outcome.field } : {}),
        nameMismatch: outcome.nameMismatch,
        hint: outcome.nameMismatch
          ? 'the name given does not match the number: give its current name; nothing was changed'
          : `no such ${outcome.field === 'phoneName' ? 'name' : 'number'}: check it; nothing was changed`,
      };
    case 'rate_limited': {
      const delayMs = outcome.retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS;
      return { step: 'wait_and_retry', delayMs, hint: `CloudAgent is rate-limiting this account: try again in ${seconds(delayMs)} s; nothing was changed` };
    }
    case 'server_error': {
      // For a mutation, core makes this kind only with proof that nothing was applied.
      if (mutation) return { step: 'resend_safe', hint: 'nothing was changed: it is safe to send the request again' };
      const delayMs = outcome.retryAfterMs ?? DEFAULT_RETRY_DELAY_MS;
      return { step: 'wait_and_retry', delayMs, hint: `the lookup failed: try again in ${seconds(delayMs)} s` };
    }
    case 'unknown':
      return { step: 'look_up_first', hint: 'the change may or may not have been applied: look the number up before sending it again' };
  }
}
