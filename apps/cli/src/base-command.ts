import { Command, Flags, type Interfaces } from '@oclif/core';
import type { OutcomeKind } from '@cloudagent-phone/core';
import { CliError } from './cli-error.js';
import { EXIT, LOCAL_EXIT_CODES, type ExitCode } from './exit-codes.js';
import { didYouMean } from './did-you-mean.js';
import { Output, wantsJson } from './output.js';
import type { ShownRequest } from './request-log.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof CaphoneCommand)['baseFlags'] & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** What a command hands back; the base class turns it into the envelope, the text and the exit code. */
export interface CommandResult {
  outcome: OutcomeKind;
  message: string;
  result?: unknown;
  request?: ShownRequest | null;
  exitCode: ExitCode;
  /** Human mode: lines for stdout. */
  lines?: string[];
  /** Human mode, on failure: the next step. */
  hint?: string;
}

export const GLOBAL = 'GLOBAL';

/** oclif's parse errors, made to name flags the way they are typed and fit on one line. */
export function parseErrorMessage(message: string): string {
  const text = message
    .replace(/\n?See more help with --help$/, '')
    .replace(/^The following errors? occurred:\s*/, '')
    .replace(/required flag ([\w-]+)/g, 'required flag --$1')
    // oclif wraps a flag's own parse failure as "Parsing --flag \n\t<reason>": say "--flag: <reason>",
    // or just the reason when it already names the flag.
    .replace(/^Parsing (--[\w-]+)\s*\n\s*(.*)$/s, (_all, flag: string, reason: string) => (reason.includes(flag) ? reason : `${flag}: ${reason}`));
  // "Missing 1 required arg:\nfile  CSV file..." lists one argument a line, name then description.
  const lines = text
    .split('\n')
    .map((line) => line.trim().replace(/^(\S+) {2,}(.+)$/, '$1 ($2)'))
    .filter(Boolean);
  return lines.reduce((joined, line, i) => (i === 0 ? line : `${joined}${lines[i - 1]!.endsWith(':') ? ' ' : '; '}${line}`), '');
}

/** Errors oclif raises while parsing argv: unknown or repeated flags, missing or bad values. */
function isParseError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const oclifExit = (error as { oclif?: { exit?: number } }).oclif?.exit;
  // A flag's own parse function can throw a plain Error; oclif only prefixes its message.
  return (error as { parse?: unknown }).parse !== undefined || oclifExit === 2 || /^Parsing --[\w-]+ /.test(error.message);
}

/** The key is never a flag; someone who tries one gets told where it goes instead. */
const KEY_FLAG = /Nonexistent flags?: .*--(api[-_]?key|apikey|key|token)\b/i;

/** Values given to flags that look like a key or a token (none exists; the values are still secret). */
export function keyFlagValues(argv: readonly string[], declared: readonly string[] = []): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    const match = /^--?((?:api[-_]?key|apikey|key|token|password))(?:=(.*))?$/i.exec(arg);
    if (!match || declared.includes(match[1]!)) return;
    const value = match[2] ?? argv[i + 1];
    if (value && !(match[2] === undefined && value.startsWith('-'))) values.push(value);
  });
  return values;
}

/**
 * Every caphone command: parses, runs, and always ends with exactly one result, rendered once
 * (one JSON document under --json). Errors never escape to oclif's handler, which would print
 * them its own way and call process.exit before stdout drains; the exit code is set instead.
 */
export abstract class CaphoneCommand<T extends typeof Command> extends Command {
  /** The exit codes this command can produce: its help lists these (scripts/render-help.mjs), no others. */
  static exitCodes: readonly ExitCode[] = LOCAL_EXIT_CODES;

  static baseFlags = {
    json: Flags.boolean({
      description: 'Print exactly one JSON document on stdout: {outcome, message, result, warnings, request}. Everything else goes to stderr.',
      helpGroup: GLOBAL,
    }),
    // Worded per kind of command: commands that send nothing have only the stack trace to show.
    verbose: Flags.boolean({
      description: 'If caphone fails internally (exit 1), print the stack trace on stderr.',
      helpGroup: GLOBAL,
    }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  protected out!: Output;

  protected abstract execute(): Promise<CommandResult>;

  async run(): Promise<void> {
    this.out = new Output({ json: wantsJson(this.argv) });
    // Someone will type --api-key KEY out of habit: it is refused, and must not be echoed back either.
    // (sandbox's own --api-key is a real flag, for its local test key, which it prints on purpose.)
    const declared = Object.keys((this.constructor as typeof Command).flags ?? {});
    for (const value of keyFlagValues(this.argv, declared)) this.out.addSecret(value);
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

  /** For "Nonexistent flag: --new-nme": the closest flag this command has (--new-name). */
  private suggestFlag(message: string): { flag: string; didYouMean: string } | undefined {
    const typed = /Nonexistent flags?: (--?[\w-]+)/.exec(message)?.[1];
    if (!typed) return undefined;
    const command = this.constructor as typeof Command;
    const known = Object.keys({ ...command.baseFlags, ...command.flags });
    const match = didYouMean(typed.replace(/^-+/, ''), known);
    return match ? { flag: typed, didYouMean: `--${match}` } : undefined;
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
    if (isParseError(error)) {
      let message = parseErrorMessage(error.message);
      const help = `see caphone ${this.id?.replace(/:/g, ' ') ?? ''} --help`.replace(/\s+--help$/, ' --help');
      const suggestion = KEY_FLAG.test(message) ? undefined : this.suggestFlag(message);
      if (suggestion) message = `${message} (did you mean ${suggestion.didYouMean}?)`;
      return {
        outcome: 'validation_error',
        message,
        ...(suggestion ? { result: suggestion } : {}),
        exitCode: EXIT.invalidInput,
        hint: KEY_FLAG.test(message)
          ? 'the API key is never a flag (it would land in shell history and ps): set CLOUDAGENT_API_KEY, pipe it with --api-key-stdin, or save it with caphone config set --api-key-stdin'
          : suggestion
            ? `did you mean ${suggestion.didYouMean}? ${help}`
            : help,
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
