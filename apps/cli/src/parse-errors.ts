import type { Interfaces } from '@oclif/core';
import { didYouMean } from './did-you-mean.js';

/**
 * oclif's parse errors, read from what they carry instead of from their English. oclif does not
 * export its parser's error classes (`@oclif/core/lib/parser/errors` is outside its exports map),
 * so each is recognised by the fields its declaration gives it: `flags` (nonexistent flags), `args`
 * (missing or unexpected arguments) and `parse` (the parser's input and output, on every parse
 * error). Every message is written here, naming flags the way they are typed (`--name`).
 */

/**
 * A flag's own parse function failed (`--timeout soon`, `--rate x`). oclif prefixes the message of
 * whatever a flag's parse throws ("Parsing --timeout \n\t..."), so the base command wraps each
 * parse function (`withFlagErrors`) to throw this instead: the flag and the reason stay apart.
 */
export class FlagValueError extends Error {
  constructor(
    readonly flag: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'FlagValueError';
  }
}

// `any`: each flag has its own value type; only the parse wrapper and the checks look inside.
// biome-ignore lint/suspicious/noExplicitAny: a map of differently typed flags
export type FlagDefinitions = Record<string, Interfaces.Flag<any>>;

/** The same flags, each option flag's parse function throwing `FlagValueError` when it fails. */
export function withFlagErrors(flags: FlagDefinitions | undefined): FlagDefinitions | undefined {
  if (!flags) return flags;
  return Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => {
      if (flag.type !== 'option' || typeof flag.parse !== 'function') return [name, flag];
      const parse = flag.parse;
      const wrapped = async (input: string, context: unknown, options: unknown) => {
        try {
          return await (parse as (i: string, c: unknown, o: unknown) => Promise<unknown>)(input, context, options);
        } catch (error) {
          throw new FlagValueError(name, error instanceof Error ? error.message : String(error));
        }
      };
      return [name, { ...flag, parse: wrapped }];
    }),
  ) as FlagDefinitions;
}

/** What oclif's parse errors attach: the flag definitions it parsed against and what it read. */
interface ParseRecord {
  input?: { flags?: FlagDefinitions };
  output?: {
    flags?: Record<string, unknown>;
    metadata?: { flags?: Record<string, { setFromDefault?: boolean; defaultHelp?: unknown } | undefined> };
  };
}

interface ArgDefinition {
  name: string;
  description?: string;
  options?: readonly string[];
}

/** oclif appends this line to every parse error's message; the help hint says it better. */
const OCLIF_HELP_LINE = '\nSee more help with --help';

const KEY_FLAG = /--(api[-_]?key|apikey|key|token)\b/i;

export interface ParseFailure {
  message: string;
  /** The typed flags that do not exist (each as typed, value included when given with `=`). */
  nonexistentFlags: string[];
  /** One of them looks like an API key or a token: the key is never a flag. */
  keyFlag: boolean;
  /** For a nonexistent flag: the closest flag the command has. */
  suggestion?: { flag: string; didYouMean: string };
}

const plural = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isArgArray(value: unknown): value is ArgDefinition[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && typeof (v as ArgDefinition).name === 'string');
}

/**
 * The flag checks oclif ran and failed, from its parse record: a required flag absent, or an
 * exclusive pair both given (the only checks caphone's flags declare; a test holds every command to
 * that). Sorted, as oclif sorts its own list of them.
 */
function failedFlagChecks(parse: ParseRecord): string[] {
  const flags = parse.input?.flags ?? {};
  const given = parse.output?.flags ?? {};
  const metadata = parse.output?.metadata?.flags ?? {};
  const failures: string[] = [];
  for (const [name, flag] of Object.entries(flags)) {
    if (given[name] === undefined) {
      if (flag.required) failures.push(`Missing required flag --${name}`);
      continue;
    }
    for (const other of flag.exclusive ?? []) {
      if (metadata[name]?.setFromDefault || metadata[other]?.setFromDefault || given[other] === undefined) continue;
      failures.push(`--${other}=${String(metadata[other]?.defaultHelp ?? given[other])} cannot also be provided when using --${name}`);
      break;
    }
  }
  return [...new Set(failures)].sort();
}

/**
 * The message for an error `this.parse()` threw, and the facts the envelope and the hint need.
 * `known` are the command's flag names, for "did you mean".
 */
export function describeParseError(error: unknown, known: readonly string[]): ParseFailure {
  const failure = (message: string): ParseFailure => ({ message, nonexistentFlags: [], keyFlag: false });
  if (error instanceof FlagValueError) {
    return failure(error.reason.includes(`--${error.flag}`) ? error.reason : `--${error.flag}: ${error.reason}`);
  }
  if (!(error instanceof Error)) return failure(String(error));
  const fields = error as Error & { flags?: unknown; args?: unknown; parse?: ParseRecord };

  if (isStringArray(fields.flags) && fields.flags.length > 0) {
    const typed = fields.flags;
    const keyFlag = typed.some((flag) => KEY_FLAG.test(flag));
    const first = typed[0]!.split('=')[0]!;
    const match = keyFlag ? undefined : didYouMean(first.replace(/^-+/, ''), known);
    const suggestion = match ? { flag: first, didYouMean: `--${match}` } : undefined;
    const message = `${plural(typed.length, 'Nonexistent flag')}: ${typed.join(', ')}${suggestion ? ` (did you mean ${suggestion.didYouMean}?)` : ''}`;
    return { message, nonexistentFlags: typed, keyFlag, ...(suggestion ? { suggestion } : {}) };
  }
  if (isArgArray(fields.args) && fields.args.length > 0) {
    const listed = fields.args.map((arg) => {
      const description = arg.options ? `(${arg.options.join('|')}) ${arg.description ?? ''}`.trim() : arg.description;
      return description ? `${arg.name} (${description})` : arg.name;
    });
    return failure(`Missing ${fields.args.length} required ${plural(fields.args.length, 'arg')}: ${listed.join('; ')}`);
  }
  if (isStringArray(fields.args) && fields.args.length > 0) {
    return failure(`${plural(fields.args.length, 'Unexpected argument')}: ${fields.args.join(', ')}`);
  }
  const checks = fields.parse ? failedFlagChecks(fields.parse) : [];
  if (checks.length > 0) return failure(checks.join('; '));
  // Anything else oclif's parser raises (a value not among a flag's options, a flag given twice or
  // without its value) is already one sentence naming the flag; only oclif's help line goes.
  return failure(error.message.endsWith(OCLIF_HELP_LINE) ? error.message.slice(0, -OCLIF_HELP_LINE.length) : error.message);
}

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
