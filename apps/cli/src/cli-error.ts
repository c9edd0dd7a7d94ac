import type { OutcomeKind } from '@cloudagent-phone/core';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { NamedIssue } from './flag-names.js';

/**
 * An error the CLI expected: it carries its exit code, the outcome kind the JSON envelope reports,
 * and the next step for the person reading it (twilio-cli and sf both attach these to errors).
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly kind: OutcomeKind;
  readonly hint: string | undefined;
  readonly issues: NamedIssue[] | undefined;
  /** What the envelope's `result` says about the failure (`{ issues }` when there are issues). */
  readonly result: Record<string, unknown> | null;

  constructor(
    message: string,
    options: { exitCode?: ExitCode; kind?: OutcomeKind; hint?: string; issues?: NamedIssue[]; result?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.invalidInput;
    this.kind = options.kind ?? 'validation_error';
    this.hint = options.hint;
    this.issues = options.issues;
    this.result = options.result ?? (options.issues ? { issues: options.issues } : null);
  }
}

/** Bad input from the person running the command: exit 2, nothing sent. */
export function usageError(message: string, hint?: string, issues?: NamedIssue[]): CliError {
  return new CliError(message, { exitCode: EXIT.invalidInput, kind: 'validation_error', ...(hint ? { hint } : {}), ...(issues ? { issues } : {}) });
}
