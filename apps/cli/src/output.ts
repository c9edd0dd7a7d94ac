import { redact, type OutcomeKind } from '@cloudagent-phone/core';
import type { ShownRequest } from './request-log.js';
import type { ExitCode } from './exit-codes.js';

/**
 * What `--json` prints: exactly one document on stdout, success or failure alike, with exactly the
 * five keys the issue names (scripts compare key sets); the exit code is the process's own.
 */
export interface Envelope<R = unknown> {
  outcome: OutcomeKind;
  message: string;
  result: R | null;
  warnings: string[];
  request: ShownRequest | null;
}

/** What a run reports; the envelope adds the warnings collected on the way. */
export interface EnvelopeFacts<R = unknown> {
  outcome: OutcomeKind;
  message: string;
  result?: R | null;
  request?: ShownRequest | null;
  /**
   * `result` and the human lines are shown as given, not redacted: only for what a command
   * prints on purpose, the sandbox's own throwaway test key (`export CLOUDAGENT_API_KEY=...`),
   * which redaction would otherwise blank as a key in configuration. Message, warnings and
   * hint are still redacted.
   */
  shownOnPurpose?: boolean;
}

const MAX_WARNINGS = 100;

export interface OutputOptions {
  json: boolean;
  verbose?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/**
 * The only way the CLI writes anything. Every line passes through core's `redact` with the secrets
 * this run knows about (the API key, every token fetched), so a key cannot reach the terminal,
 * a log file or a CI transcript through any flag.
 */
export class Output {
  readonly json: boolean;
  verbose: boolean;
  private readonly secrets = new Set<string>();
  private readonly warnings: string[] = [];
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;
  private emitted = false;
  private droppedWarnings = 0;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.verbose = options.verbose ?? false;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  addSecret(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  redact<T>(value: T): T {
    return redact(value, { secrets: [...this.secrets] });
  }

  /** A warning: stderr now, and the envelope's `warnings` at the end. */
  warn(text: string): void {
    const clean = this.redact(text);
    if (this.warnings.includes(clean)) return;
    // A long bulk run can warn thousands of times (retries): keep memory flat, count the rest.
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(clean);
    else this.droppedWarnings += 1;
    this.stderr.write(`Warning: ${clean}\n`);
  }

  /** A note for the person watching (progress, where things are): always stderr. */
  note(text: string): void {
    this.stderr.write(`${this.redact(text)}\n`);
  }

  /** Only under --verbose; stderr. */
  detail(text: string): void {
    if (this.verbose) this.stderr.write(`${this.redact(text)}\n`);
  }

  /**
   * The envelope for these facts, redacted with every secret this run knows (`shownOnPurpose`:
   * `result` as given, see `EnvelopeFacts`). What `--json` prints, built once per run.
   */
  envelope<R>(facts: EnvelopeFacts<R>): Envelope<R> {
    const full: Envelope<R> = this.redact({
      outcome: facts.outcome,
      message: facts.message,
      result: facts.shownOnPurpose ? null : (facts.result ?? null),
      warnings: this.droppedWarnings ? [...this.warnings, `(${this.droppedWarnings} more warnings on stderr)`] : [...this.warnings],
      request: facts.request ?? null,
    });
    if (facts.shownOnPurpose) full.result = facts.result ?? null;
    return full;
  }

  /** The one JSON document on stdout; anything after the first is dropped (one document per run). */
  writeJson(envelope: Envelope<unknown>): void {
    if (this.emitted) return;
    this.emitted = true;
    this.stdout.write(`${JSON.stringify(envelope, null, 2)}\n`);
  }

  /**
   * Ends the command's output: the envelope as JSON on stdout, or the human lines (stdout on
   * success, stderr on failure, so `caphone ... > file` keeps only results in the file).
   */
  finish<R>(facts: EnvelopeFacts<R> & { exitCode: ExitCode }, human: { lines?: string[]; hint?: string } = {}): void {
    if (this.emitted) return;
    const full = this.envelope(facts);
    if (this.json) {
      this.writeJson(full);
      return;
    }
    this.emitted = true;
    const show = (line: string) => (facts.shownOnPurpose ? line : this.redact(line));
    const { exitCode } = facts;
    if (exitCode === 0) {
      for (const line of human.lines ?? [full.message]) this.stdout.write(`${show(line)}\n`);
      return;
    }
    for (const line of human.lines ?? []) this.stdout.write(`${show(line)}\n`);
    const label = full.outcome === 'partial_success' ? 'Partial success' : 'Error';
    this.stderr.write(`${label} (${full.outcome}, exit ${exitCode}): ${full.message}\n`);
    if (human.hint) this.stderr.write(`${this.redact(`Next: ${human.hint}`)}\n`);
  }
}

/** `--json` anywhere before a `--` (read from argv so that even a parse failure can honour it). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const json = argv.indexOf('--json');
  return json !== -1 && (end === -1 || json < end);
}
