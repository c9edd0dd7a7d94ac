import { Command, Flags, type Config, type Interfaces } from '@oclif/core';
import type { OutcomeKind } from '@cloudagent-phone/core';
import { CliError } from './cli-error.js';
import { EXIT, LOCAL_EXIT_CODES, type ExitCode } from './exit-codes.js';
import { Output, wantsJson, type Envelope } from './output.js';
import { describeParseError, keyFlagValues, withFlagErrors, type FlagDefinitions } from './parse-errors.js';
import type { ShownRequest } from './request-log.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof CaphoneCommand)['baseFlags'] & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * What a command hands back, success or not: the envelope's facts (`R` is its `result`), the exit
 * code, and how a person reads it. A failure CloudAgent answered (a conflict, a rejection) is a
 * result like a success; what stops a command early is thrown (`CliError`) and caught by `catch`.
 */
export interface CommandResult<R = unknown> {
  outcome: OutcomeKind;
  message: string;
  result?: R | null;
  request?: ShownRequest | null;
  exitCode: ExitCode;
  /** Human mode: lines for stdout. */
  lines?: string[];
  /** Human mode, on failure: the next step. */
  hint?: string;
}

export const GLOBAL = 'GLOBAL';

const KEY_FLAG_HINT =
  'the API key is never a flag (it would land in shell history and ps): set CLOUDAGENT_API_KEY, pipe it with --api-key-stdin, or save it with caphone config set --api-key-stdin';

/**
 * Every caphone command, on oclif's own lifecycle (as sf-plugins-core's `SfCommand<T>` is):
 * `enableJsonFlag` gives `--json`; `run()` parses, calls the command's `execute()` and returns its
 * typed result; oclif's `_run` hands that to `toSuccessJson` and `logJson` under `--json`; whatever
 * is thrown reaches `catch`, which renders it as the same envelope (or the human error) and sets
 * the exit code. Nothing escapes to oclif's error handler, which would print its own way and call
 * process.exit before stdout drains. Every run ends with exactly one result, rendered once.
 */
export abstract class CaphoneCommand<T extends typeof Command, R = unknown> extends Command {
  static enableJsonFlag = true;

  /** The exit codes this command can produce: its help lists these (scripts/render-help.mjs), no others. */
  static exitCodes: readonly ExitCode[] = LOCAL_EXIT_CODES;

  static baseFlags = {
    // oclif adds --json for enableJsonFlag; declared here only to say what caphone's JSON is.
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
  /** Everything the command writes goes through here (redacted); created before anything can fail. */
  protected readonly out: Output;

  constructor(argv: string[], config: Config) {
    super(argv, config);
    this.out = new Output({ json: this.jsonEnabled() });
    // Someone will type --api-key KEY out of habit: it is refused, and must not be echoed back either.
    // (sandbox's own --api-key is a real flag, for its local test key, which it prints on purpose.)
    const declared = Object.keys(this.ctor.flags ?? {});
    for (const value of keyFlagValues(argv, declared)) this.out.addSecret(value);
  }

  protected abstract execute(): Promise<CommandResult<R>>;

  /**
   * `--json` as typed, before any `--`. oclif's own check also honours CAPHONE_CONTENT_TYPE=json;
   * caphone does not, because help, `--version` and an unknown command are answered before a
   * command class exists (src/router.ts, the not-found hook) and read argv only.
   */
  jsonEnabled(): boolean {
    return wantsJson(this.argv) && super.jsonEnabled();
  }

  async run(): Promise<CommandResult<R>> {
    const ctor = this.ctor;
    let parsed: Awaited<ReturnType<Command['parse']>>;
    try {
      // The command's own declaration, each flag's parse failure kept apart from oclif's wording.
      parsed = await this.parse({
        flags: withFlagErrors(ctor.flags as FlagDefinitions | undefined) as typeof ctor.flags,
        baseFlags: withFlagErrors(ctor.baseFlags as FlagDefinitions | undefined) as typeof ctor.baseFlags,
        args: ctor.args,
        strict: ctor.strict,
        enableJsonFlag: ctor.enableJsonFlag,
      });
    } catch (error) {
      throw this.usageErrorFrom(error);
    }
    this.flags = parsed.flags as CommandFlags<T>;
    this.args = parsed.args as CommandArgs<T>;
    this.out.verbose = Boolean(this.flags.verbose);
    const result = await this.execute();
    process.exitCode = result.exitCode;
    // Under --json, oclif's _run prints the result through toSuccessJson and logJson.
    if (!this.jsonEnabled()) this.out.finish(this.facts(result), this.human(result));
    return result;
  }

  /** The envelope for a command's result (oclif calls this under --json with what run() returned). */
  protected toSuccessJson(result: CommandResult<R>): Envelope<R> {
    return this.out.envelope(this.facts(result));
  }

  /** The envelope for a failure, already read by `failureFrom` (called from `catch`). */
  protected toErrorJson(failure: CommandResult<unknown>): Envelope<unknown> {
    return this.out.envelope(this.facts(failure));
  }

  /** The one JSON document, through Output: redacted, and never a second one. */
  protected logJson(json: unknown): void {
    this.out.writeJson(json as Envelope<unknown>);
  }

  /** oclif's own warnings (a deprecated flag or command) land in the envelope's warnings too. */
  warn(input: Error | string): Error | string {
    this.out.warn(typeof input === 'string' ? input : input.message);
    return input;
  }

  /** Whatever stopped the command, rendered like any result, with its exit code; never rethrown. */
  protected async catch(error: Error): Promise<void> {
    const failure = this.failureFrom(error);
    process.exitCode = failure.exitCode;
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(failure));
    else this.out.finish(this.facts(failure), this.human(failure));
  }

  protected failureFrom(error: unknown): CommandResult<unknown> {
    if (error instanceof CliError) {
      return { outcome: error.kind, message: error.message, result: error.result, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) };
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

  /** Anything `this.parse()` throws is bad usage: exit 2, named the way flags are typed, with the help to read. */
  private usageErrorFrom(error: unknown): CliError {
    const known = Object.keys({ ...this.ctor.baseFlags, ...this.ctor.flags });
    const failure = describeParseError(error, known);
    const help = `see caphone ${this.id?.replace(/:/g, ' ') ?? ''} --help`.replace(/\s+--help$/, ' --help');
    const hint = failure.keyFlag ? KEY_FLAG_HINT : failure.suggestion ? `did you mean ${failure.suggestion.didYouMean}? ${help}` : help;
    return new CliError(failure.message, { exitCode: EXIT.invalidInput, kind: 'validation_error', hint, ...(failure.suggestion ? { result: failure.suggestion } : {}) });
  }

  private facts<X>(result: CommandResult<X>) {
    return { outcome: result.outcome, message: result.message, result: result.result ?? null, request: result.request ?? null, exitCode: result.exitCode };
  }

  private human(result: CommandResult<unknown>): { lines?: string[]; hint?: string } {
    return { ...(result.lines ? { lines: result.lines } : {}), ...(result.hint ? { hint: result.hint } : {}) };
  }
}
