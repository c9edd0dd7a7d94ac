import { OUTCOME_KINDS, createOutcome, isMutation, nextStep, type NextStep, type Outcome, type OutcomeKind, type PhoneAction } from '@cloudagent-phone/core';

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
  /** The number or the name does not exist, or the name given is not the number's. */
  notFound: 10,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Renders core's next step as an exit code; the CLI decides nothing itself. "Already taken" keeps
 * its own code (4) apart from CloudAgent's other refusals (5): the one a script most often branches on.
 */
export function exitCodeForStep(step: NextStep): ExitCode {
  switch (step.step) {
    case 'done':
      return step.skillsNotApplied ? EXIT.partialSuccess : EXIT.success;
    case 'fix_credentials':
      return EXIT.authRejected;
    case 'fix_input':
      return step.reason === 'conflict' ? EXIT.conflict : EXIT.rejected;
    case 'not_found':
      return EXIT.notFound;
    case 'resend_safe':
    case 'wait_and_retry':
      return EXIT.transient;
    case 'look_up_first':
      return EXIT.outcomeUnknown;
  }
}

/** The exit code of one outcome of one action. */
export function exitCodeFor(outcome: Outcome, action: PhoneAction): ExitCode {
  return exitCodeForStep(nextStep(outcome, action));
}

/** Worst first: the code a many-row run exits with is the most severe of its rows' codes. */
const SEVERITY: readonly ExitCode[] = [
  EXIT.internal,
  EXIT.outcomeUnknown,
  EXIT.authRejected,
  EXIT.transient,
  EXIT.rejected,
  EXIT.notFound,
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
  [EXIT.rejected]: 'other refusal by CloudAgent (validation, invalid action, limit exceeded, a refusal in its own words); nothing changed',
  [EXIT.partialSuccess]: 'partial success: the number was changed, the skills were not',
  [EXIT.transient]: 'nothing was applied, safe to run again (network before sending, rate limit, or a read-back proved it)',
  [EXIT.outcomeUnknown]: 'outcome unknown: the change may or may not have been applied; look it up (caphone phone get) before trying again',
  [EXIT.v1Findings]: 'v1 still in use (migrate scan: v1 call sites found; migrate status: an account is not ready to cut over)',
  [EXIT.notFound]: "not found: no such number or name, or the name given is not the number's",
};

/** Commands that never reach CloudAgent (config, sandbox): done, a bug, or bad input. */
export const LOCAL_EXIT_CODES: readonly ExitCode[] = [EXIT.success, EXIT.internal, EXIT.invalidInput];

/** `migrate scan`: the local codes, plus "v1 call sites found" for CI. */
export const SCAN_EXIT_CODES: readonly ExitCode[] = [...LOCAL_EXIT_CODES, EXIT.v1Findings];

/** `migrate status`: it reads the shim over HTTP, so also refused (3), not a shim (5), unreachable (7); 9 while an account is not ready. */
export const STATUS_EXIT_CODES: readonly ExitCode[] = [...LOCAL_EXIT_CODES, EXIT.authRejected, EXIT.rejected, EXIT.transient, EXIT.v1Findings];

/** Kinds core never reports for a read: a lookup changes nothing, so it is never partial or ambiguous. */
const NOT_FOR_READS: ReadonlySet<OutcomeKind> = new Set(['partial_success', 'unknown']);

/**
 * The codes a call for these actions can end in, derived from `exitCodeFor` over every outcome
 * kind core can report for the action (a skills-not-applied success included), plus the local
 * ones. A new kind or a new code shows up in every command's help by itself.
 */
export function callExitCodes(actions: readonly PhoneAction[]): ExitCode[] {
  const codes = new Set<ExitCode>(LOCAL_EXIT_CODES);
  for (const action of actions) {
    for (const kind of OUTCOME_KINDS) {
      if (!isMutation(action) && NOT_FOR_READS.has(kind)) continue;
      const outcome = createOutcome(action, { kind, message: kind, retryable: false, vendorMessage: kind, nameMismatch: false } as never) as Outcome;
      codes.add(exitCodeFor(outcome, action));
    }
  }
  return [...codes].sort((a, b) => a - b);
}

/** A bulk run exits with its worst row's code: any code an edit can end in (invalid rows are 2). */
export const BULK_EXIT_CODES: readonly ExitCode[] = callExitCodes(['edit']);
