import { readFileSync } from 'node:fs';

/**
 * What bin/run.cjs can answer before oclif loads: help, from the pages rendered at build time
 * (scripts/render-help.mjs), and the one JSON document `--json` promises whatever else is typed
 * (`phone edit --number X --name --help --json` is help, as one envelope). Everything else, and
 * anything it does not recognise, goes to oclif unchanged, so the two cannot disagree on a command.
 */
export interface HelpPages {
  commands: string[];
  topics: string[];
  /** Commands with no JSON output (shell completion): under --json they are a usage error, as one document. */
  textOnly: string[];
  /** By oclif id ("phone:edit"); "" is the root. `{{userAgent}}` stands for the running CLI's. */
  pages: Record<string, string>;
}

export type Route = { kind: 'print'; stdout: string; exitCode: number } | { kind: 'oclif'; argv: string[] };

const HELP_FLAGS = new Set(['--help', '-h']);

function envelope(message: string, result: unknown, outcome: 'success' | 'validation_error' = 'success'): string {
  // The five keys every caphone envelope has (output.ts); help holds no secrets to redact.
  return `${JSON.stringify({ outcome, message, result, warnings: [], request: null }, null, 2)}\n`;
}

const print = (stdout: string, exitCode = 0): Route => ({ kind: 'print', stdout, exitCode });

/** `pages` is read only when the answer may be help or --json is given (a plain command skips the file). */
export function route(argv: readonly string[], loadPages: () => HelpPages, version: string): Route {
  const end = argv.indexOf('--');
  const head = end === -1 ? [...argv] : argv.slice(0, end);
  const json = head.includes('--json');
  const helpWord = head[0] === 'help';
  const mayBeHelp = argv.length === 0 || json || helpWord || head.some((arg) => HELP_FLAGS.has(arg)) || !head.some((arg) => arg.startsWith('-'));
  if (!mayBeHelp) return { kind: 'oclif', argv: [...argv] };
  const pages = loadPages();
  const words: string[] = [];
  for (const arg of helpWord ? head.slice(1) : head) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  // The longest run of leading words that names a command or a topic ("phone edit", "phone").
  let id: string | undefined;
  for (let n = words.length; n >= 0 && id === undefined; n--) {
    const candidate = words.slice(0, n).join(':');
    if (Object.hasOwn(pages.pages, candidate) && (n > 0 || words.length === 0)) id = candidate;
  }
  const isCommand = id !== undefined && pages.commands.includes(id);

  if (json && (head[0] === '--version' || head[0] === '-v')) return print(envelope(version, { version }));

  const depth = id ? id.split(':').length : 0;
  // `caphone phone` alone (a topic, nothing else but perhaps --json) is oclif's topic help too.
  const topicAlone = id !== undefined && id !== '' && !isCommand && words.length === depth && head.length === words.length + (json ? 1 : 0);
  const helpAsked = argv.length === 0 || helpWord || topicAlone || head.some((arg) => HELP_FLAGS.has(arg));
  if (!helpAsked) {
    if (json && isCommand && pages.textOnly.includes(id!)) {
      const typed = id!.split(':').join(' ');
      return print(envelope(`caphone ${typed} prints text only: run it without --json`, { command: typed }, 'validation_error'), 2);
    }
    return { kind: 'oclif', argv: [...argv] };
  }
  if (id === undefined || (!isCommand && words.length > depth)) {
    // Help for a command that does not exist: oclif's not-found hook says so, with a suggestion.
    return { kind: 'oclif', argv: [...words, ...(json ? ['--json'] : [])] };
  }
  const text = pages.pages[id]!.replaceAll('{{userAgent}}', version);
  const typed = ['caphone', ...id.split(':').filter(Boolean)].join(' ');
  if (json) return print(envelope(`help for ${typed}`, { command: id.split(':').filter(Boolean).join(' '), help: text }));
  return print(text);
}

/** dist/help.json, written by scripts/render-help.mjs. */
export function loadHelpPages(file: string): HelpPages {
  return JSON.parse(readFileSync(file, 'utf8')) as HelpPages;
}
