import { nextStep, type NextStep, type Outcome, type PhoneAction } from '@cloudagent-phone/core';

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

export const EXIT_CODES_HELP = `EXIT CODES
  0  success
  1  unexpected internal error
  2  invalid input or usage; nothing was sent
  3  authentication rejected (user name, API key or token)
  4  conflict: the number or the name already exists
  5  other refusal by CloudAgent (validation, invalid action,
     limit exceeded, a refusal in its own words); nothing changed
  6  partial success: the number was changed, the skills were not
  7  nothing was applied, safe to run again (network before
     sending, rate limit, or a read-back proved it)
  8  outcome unknown: the change may or may not have been applied;
     look it up (caphone phone get) before trying again
  9  migrate scan only: v1 call sites found
  10 not found: no such number or name, or the name given is
     not the number's`;
