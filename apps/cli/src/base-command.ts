import { Command, Flags, type Interfaces } from '@oclif/core';
import type { OutcomeKind, PlainRequest } from '@cloudagent-phone/core';
import { CliError } from './cli-error.js';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './exit-codes.js';
import { Output, wantsJson } from './output.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof CaphoneCommand)['baseFlags'] & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** What a command hands back; the base class turns it into the envelope, the text and the exit code. */
export interface CommandResult {
  outcome: OutcomeKind;
  message: string;
  result?: unknown;
  request?: PlainRequest | null;
  exitCode: ExitCode;
  /** Human mode: lines for stdout. */
  lines?: string[];
  /** Human mode, on failure: the next step. */
  hint?: string;
}

export const GLOBAL = 'GLOBAL';

/** oclif's parse errors, made to name flags the way they are typed and fit on one line. */
export function parseErrorMessage(message: string): string {
  return message
    .replace(/\n?See more help with --help$/, '')
    .replace(/^The following errors? occurred:\s*/, '')
    .replace(/required flag ([\w-]+)/g, 'required flag --$1')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');
}

/** Appended to every command's description so `--help` carries the exit-code table. */
export function describe(text: string): string {
  return `${text}\n\n${EXIT_CODES_HELP}`;
}

/**
 * Every caphone command: parses, runs, and always ends with exactly one result, rendered once
 * (one JSON document under --json). Errors never escape to oclif's handler, which would print
 * them its own way and call process.exit before stdout drains; the exit code is set instead.
 */
export abstract class CaphoneCommand<T extends typeof Command> extends Command {
  static baseFlags = {
    json: Flags.boolean({
      description: 'Print exactly one JSON document on stdout: {outcome, message, result, warnings, request, exitCode}. Everything else goes to stderr.',
      helpGroup: GLOBAL,
    }),
    verbose: Flags.boolean({
      description: 'Print the request and the response on stderr, credentials redacted.',
      helpGroup: GLOBAL,
    }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  protected out!: Output;

  protected abstract execute(): Promise<CommandResult>;

  async run(): Promise<void> {
    this.out = new Output({ json: wantsJson(this.argv) });
    let result: CommandResult;
    try {
      // No options: oclif reads flags, baseFlags, args and strict from the command class itself.
      const parsed = await this.parse();
      this.flags = parsed.flags as CommandFlags<T>;
      this.args = parsed.args as CommandArgs<T>;
      this.out.verbose = Boolean(this.flags.verbose);
      result = await this.execute();
    } catch (error) {
      result = this.fromError(error);
    }
    process.exitCode = result.exitCode;
    this.out.finish(
      { outcome: result.outcome, message: result.message, result: result.result ?? null, request: result.request ?? null, exitCode: result.exitCode },
      { ...(result.lines ? { lines: result.lines } : {}), ...(result.hint ? { hint: result.hint } : {}) },
    );
  }

  protected fromError(error: unknown): CommandResult {
    if (error instanceof CliError) {
      return {
        outcome: error.kind,
        message: error.message,
        result: error.issues ? { issues: error.issues } : null,
        exitCode: error.exitCode,
        ...(error.hint ? { hint: error.hint } : {}),
      };
    }
    // oclif's parse errors (unknown flag, missing value, bad option) carry exit 2 and `parse`.
    const oclifExit = (error as { oclif?: { exit?: number } } | undefined)?.oclif?.exit;
    if (error instanceof Error && ((error as { parse?: unknown }).parse !== undefined || oclifExit === 2)) {
      return {
        outcome: 'validation_error',
        message: parseErrorMessage(error.message),
        exitCode: EXIT.invalidInput,
        hint: `see caphone ${this.id?.replace(/:/g, ' ') ?? ''} --help`.replace(/\s+--help$/, ' --help'),
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.stack) this.out.detail(error.stack);
    return {
      outcome: 'unknown',
      message: `internal error: ${message}`,
      exitCode: EXIT.internal,
      hint: 'run again with --verbose for details; if it persists, report it with that output',
    };
  }
}
