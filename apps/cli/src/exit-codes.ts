import type { Outcome, PhoneAction } from '@cloudagent-phone/core';

/** The exit codes a script can branch on. One table, used by every command and printed in --help. */
export const EXIT = {
  success: 0,
  internal: 1,
  invalidInput: 2,
  authRejected: 3,
  conflict: 4,
  rejected: 5,
  partialSuccess: 6,
  transient: 7,
  outcomeUnknown: 8,
  /** caphone migrate: v1 is still in use. scan: call sites found; status: an account is not ready to cut over (so a CI step fails until it is). */
  v1Findings: 9,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Maps core's outcome to an exit code. Ambiguity wins over the kind: whatever the answer looked
 * like, a change that may or may not have landed must not be retried blindly (8). A failure that
 * provably did not apply anything, and that the policy calls retryable, is safe to retry (7). Every other refusal by CloudAgent is 5,
 * except the two a script most often wants to tell apart: bad credentials (3) and "already exists" (4).
 */
export function exitCodeFor(outcome: Pick<Outcome, 'kind' | 'ambiguous' | 'retryable' | 'cause'>, action?: PhoneAction): ExitCode {
  if (outcome.ambiguous) return EXIT.outcomeUnknown;
  switch (outcome.kind) {
    case 'success':
      return EXIT.success;
    case 'partial_success':
      return EXIT.partialSuccess;
    case 'auth_error':
      return EXIT.authRejected;
    case 'conflict':
      return EXIT.conflict;
    case 'rate_limited':
      return EXIT.transient;
    case 'server_error':
      // "Safe to retry" only when it is: core or the client said so, a read (which changes
      // nothing), or a cancellation before sending. A mutation the server may still be
      // processing (e.g. read back as not applied after a timeout) is not safe: look first.
      if (outcome.retryable || action === 'get' || outcome.cause === 'aborted') return EXIT.transient;
      return EXIT.outcomeUnknown;
    case 'validation_error':
    case 'invalid_action':
    case 'limit_exceeded':
    case 'unknown':
      return EXIT.rejected;
  }
}

/** Worst first: the code a many-row run exits with is the most severe of its rows' codes. */
const SEVERITY: readonly ExitCode[] = [
  EXIT.internal,
  EXIT.outcomeUnknown,
  EXIT.authRejected,
  EXIT.transient,
  EXIT.rejected,
  EXIT.conflict,
  EXIT.invalidInput,
  EXIT.partialSuccess,
  EXIT.success,
];

export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = EXIT.success;
  for (const code of codes) if (SEVERITY.indexOf(code) < SEVERITY.indexOf(worst)) worst = code;
  return worst;
}

export const EXIT_CODES_HELP = `EXIT CODES
  0  success
  1  unexpected internal error
  2  invalid input or usage; nothing was sent
  3  authentication rejected (user name, API key or token)
  4  conflict: the number or the name already exists
  5  other rejection by CloudAgent (validation, invalid action,
     limit exceeded, unrecognised answer)
  6  partial success: the number was changed, the skills were not
  7  transient failure, safe to retry (network, rate limit, or a
     server error before anything could apply)
  8  outcome unknown: the change may or may not have been applied;
     look it up (caphone phone get) before trying again
  9  migrate: v1 still in use (scan: v1 call sites found;
     status: an account is not ready to cut over)`;
