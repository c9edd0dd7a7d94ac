import { createOutcome, fieldOf, isMutation, nextStep, type Outcome, type PhoneAction } from '@cloudagent-phone/core';
import { problem, type Problem } from './problem.js';

/** What the edge answers for one CloudAgent outcome: a success body, or a problem and its headers. */
export type Answer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; problem: Problem; headers: Record<string, string> };

/** When CloudAgent is rate-limiting and did not say for how long (core's default, in seconds). */
export const DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS = 30;

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/**
 * A rendering of core's `nextStep`, with no decision of its own. Every answer carries the truth a
 * program branches on, whatever the HTTP status: `outcome` (core's kind), `nextStep`, and, for a
 * mutation, `applied` (`yes`, `no` or `unknown`).
 *
 * - done: 200 (a partial success too, with the warning);
 * - fix_input: 409 for a taken number or name, 422 for CloudAgent's other refusals;
 * - not_found: 404 `phone-number-not-found` (apart from the unknown-route `not-found`);
 * - wait_and_retry: 429 with Retry-After when CloudAgent is rate-limiting, else 502 with Retry-After;
 * - resend_safe, look_up_first and fix_credentials: 502, since the caller cannot fix them by
 *   changing the request (the credentials are the edge's own); the detail says what to do.
 */
export function answerFor(outcome: Outcome, action: PhoneAction): Answer {
  const step = nextStep(outcome, action);
  const field = fieldOf(outcome);
  const truth = truthOf(outcome, action);
  const extras = { ...truth, ...(field ? { field } : {}) };
  switch (step.step) {
    case 'done': {
      const record = outcome.kind === 'success' ? (outcome.data ?? {}) : {};
      if (!step.skillsNotApplied) return { ok: true, body: { ...truth, message: outcome.message, ...record } };
      return { ok: true, body: { ...truth, message: 'the number was changed but the skills were not applied', warning: outcome.message, field: field ?? 'skill' } };
    }
    case 'fix_input':
      return { ok: false, problem: problem(step.reason === 'conflict' ? 'conflict' : 'rejected', outcome.message, extras), headers: {} };
    case 'not_found':
      return {
        ok: false,
        problem: problem('phoneNumberNotFound', `${outcome.message}; ${step.hint}`, { ...extras, nameMismatch: step.nameMismatch }),
        headers: {},
      };
    case 'wait_and_retry': {
      const retryAfter = seconds(step.delayMs);
      const kind = outcome.kind === 'rate_limited' ? 'rateLimited' : 'badGateway';
      return { ok: false, problem: problem(kind, `${outcome.message}; ${step.hint}`, extras), headers: { 'retry-after': retryAfter } };
    }
    case 'fix_credentials':
      return {
        ok: false,
        problem: problem('badGateway', 'CloudAgent refused the credentials this edge holds for the account; the operator must check CLOUDAGENT_ACCOUNTS; nothing was changed', truth),
        headers: {},
      };
    case 'resend_safe':
    case 'look_up_first':
      return { ok: false, problem: problem('badGateway', `${outcome.message}; ${step.hint}`, truth), headers: {} };
  }
}

/** What a program branches on, from core: the outcome's kind, its next step, and for a mutation whether it was applied. */
function truthOf(outcome: Outcome, action: PhoneAction) {
  return {
    outcome: outcome.kind,
    nextStep: nextStep(outcome, action).step,
    ...(isMutation(action) && outcome.applied !== undefined ? { applied: outcome.applied } : {}),
  };
}

/** What the edge knows when its deadline passed: a mutation may or may not have landed; a lookup can be tried again. */
export function timedOutOutcome(action: PhoneAction): Outcome {
  const message = 'CloudAgent did not answer in time';
  return isMutation(action)
    ? createOutcome(action, { kind: 'unknown', message, cause: 'timeout', retryable: false })
    : createOutcome(action, { kind: 'server_error', message, cause: 'timeout', retryable: true });
}

/** The answer when our deadline passed (504), with core's truth about `timedOutOutcome`. */
export function timeoutAnswer(outcome: Outcome, action: PhoneAction, timeoutMs: number): Answer {
  const detail = `CloudAgent did not answer within ${timeoutMs} ms and the call was cancelled; ${
    isMutation(action) ? 'the change may or may not have been applied: look the number up before sending it again' : 'try again later'
  }`;
  return { ok: false, problem: problem('timeout', detail, truthOf(outcome, action)), headers: {} };
}
