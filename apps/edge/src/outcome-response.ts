import type { Outcome } from '@cloudagent-phone/core';
import { problem, type Problem } from './problem.js';

/** What the edge answers for one CloudAgent outcome: a success body, or a problem and its headers. */
export type Answer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; problem: Problem; headers: Record<string, string> };

/** When CloudAgent is rate-limiting and did not say for how long. */
export const DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS = 30;

/**
 * The status matrix in one place. CloudAgent's own refusals are 409/422/429; anything that is not a
 * usable answer (our credentials refused, garbage, an answer the classifier does not know) is 502,
 * because the caller cannot fix it by changing the request.
 */
export function answerFor(outcome: Outcome): Answer {
  const extras = { outcome: outcome.kind, ...(outcome.field ? { field: outcome.field } : {}) };
  switch (outcome.kind) {
    case 'success':
      return { ok: true, body: { outcome: 'success', message: outcome.message, ...(outcome.data ?? {}) } };
    case 'partial_success':
      return { ok: true, body: { outcome: 'partial_success', message: 'the number was changed but the skills were not applied', warning: outcome.message, field: outcome.field ?? 'skill' } };
    case 'conflict':
      return { ok: false, problem: problem('conflict', outcome.message, extras), headers: {} };
    case 'validation_error':
    case 'invalid_action':
    case 'limit_exceeded':
      return { ok: false, problem: problem('rejected', outcome.message, extras), headers: {} };
    case 'rate_limited': {
      const seconds = outcome.retryAfterMs !== undefined ? Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)) : DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS;
      return { ok: false, problem: problem('rateLimited', `CloudAgent is rate-limiting this account: ${outcome.message}; retry after ${seconds} s`, extras), headers: { 'retry-after': String(seconds) } };
    }
    case 'auth_error':
      return {
        ok: false,
        problem: problem('badGateway', 'CloudAgent refused the credentials this edge holds for the account; the operator must check CLOUDAGENT_ACCOUNTS', { outcome: outcome.kind }),
        headers: {},
      };
    case 'server_error':
    case 'unknown':
    default: {
      const ambiguous = outcome.ambiguous ? '; the change may or may not have been applied: look the number up before trying again' : '';
      return { ok: false, problem: problem('badGateway', `${outcome.message}${ambiguous}`, { outcome: outcome.kind }), headers: {} };
    }
  }
}

/** The answer when our deadline passed: for a mutation nobody can say whether it landed. */
export function timeoutAnswer(mutation: boolean, timeoutMs: number): Answer {
  const detail = mutation
    ? `CloudAgent did not answer within ${timeoutMs} ms and the call was cancelled; the change may or may not have been applied: look the number up before trying again`
    : `CloudAgent did not answer within ${timeoutMs} ms and the call was cancelled`;
  return { ok: false, problem: problem('timeout', detail, { outcome: mutation ? 'unknown' : 'server_error' }), headers: {} };
}
