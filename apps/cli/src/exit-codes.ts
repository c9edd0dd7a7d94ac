import { OUTCOME_KINDS, type Outcome, type PhoneAction } from '@cloudagent-phone/core';

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
  /** caphone migrate scan only: v1 call sites were found (so a CI step fails until they are migrated). */
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

/** What each code means, one line each; help prints only the codes a command can produce. */
export const EXIT_MEANING: Readonly<Record<ExitCode, string>> = {
  [EXIT.success]: 'success',
  [EXIT.internal]: 'unexpected internal error',
  [EXIT.invalidInput]: 'invalid input or usage; nothing was sent',
  [EXIT.authRejected]: 'authentication rejected (user name, API key or token)',
  [EXIT.conflict]: 'conflict: the number or the name already exists',
  [EXIT.rejected]: 'other rejection by CloudAgent (validation, invalid action, limit exceeded, unrecognised answer)',
  [EXIT.partialSuccess]: 'partial success: the number was changed, the skills were not',
  [EXIT.transient]: 'transient failure, safe to retry (network, rate limit, or a server error before anything could apply)',
  [EXIT.outcomeUnknown]: 'outcome unknown: the change may or may not have been applied; look it up (caphone phone get) before trying again',
  [EXIT.v1Findings]: 'v1 call sites found',
};

/** Commands that never reach CloudAgent (config, sandbox): done, a bug, or bad input. */
export const LOCAL_EXIT_CODES: readonly ExitCode[] = [EXIT.success, EXIT.internal, EXIT.invalidInput];

/** `migrate scan`: the local codes, plus "v1 call sites found" for CI. */
export const SCAN_EXIT_CODES: readonly ExitCode[] = [...LOCAL_EXIT_CODES, EXIT.v1Findings];

/**
 * The codes a call for these actions can end in, derived from `exitCodeFor` over every outcome core
 * can report (each kind, ambiguous or not for a mutation, retryable or not, cancelled or not), plus
 * the local ones. A new kind or a new code shows up in every command's help by itself.
 */
export function callExitCodes(actions: readonly PhoneAction[]): ExitCode[] {
  const codes = new Set<ExitCode>(LOCAL_EXIT_CODES);
  for (const action of actions) {
    for (const kind of OUTCOME_KINDS) {
      for (const ambiguous of action === 'get' ? [false] : [false, true]) {
        for (const retryable of [false, true]) {
          for (const cause of [undefined, 'aborted']) codes.add(exitCodeFor({ kind, ambiguous, retryable, ...(cause ? { cause } : {}) }, action));
        }
      }
    }
  }
  return [...codes].sort((a, b) => a - b);
}

/** A bulk run exits with its worst row's code: any code an edit can end in (invalid rows are 2). */
export const BULK_EXIT_CODES: readonly ExitCode[] = callExitCodes(['edit']);
