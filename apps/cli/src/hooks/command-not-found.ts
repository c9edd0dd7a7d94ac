import type { Hook } from '@oclif/core';
import { didYouMean } from '../did-you-mean.js';
import { EXIT } from '../exit-codes.js';
import { Output, wantsJson } from '../output.js';

/**
 * An unknown command is a usage error like any other: exit 2 and, under --json, the one JSON
 * document a script expects (oclif's own handler would print a styled error and no JSON).
 */
const hook: Hook.CommandNotFound = async (options) => {
  const words = options.id.split(':');
  const typed = words.join(' ');
  // The deepest known topic the typed words start with, to list what does exist there.
  const topic = [...words.keys()]
    .map((i) => words.slice(0, words.length - 1 - i).join(':'))
    .find((id) => id !== '' && options.config.topics.some((t) => t.name === id));
  // What can follow the known part: commands and topics alike ("phone", "config", "sandbox", ...).
  const prefix = topic ? `${topic}:` : '';
  const siblings = [
    ...new Set(
      options.config.commandIDs
        .filter((id) => id.startsWith(prefix))
        .map((id) => `${prefix}${id.slice(prefix.length).split(':')[0]}`.split(':').join(' ')),
    ),
  ].sort();
  const where = topic ? `caphone ${topic.split(':').join(' ')}` : 'caphone';
  // `caphone --json` arrives here with "--json" as the command id.
  const flagFirst = options.id.startsWith('-');
  // "phone edti" → "phone edit": the closest existing command at the depth typed, among all of them.
  const suggestion = flagFirst ? undefined : didYouMean(typed, options.config.commandIDs.map((id) => id.split(':').join(' ')));
  const out = new Output({ json: wantsJson([options.id, ...(options.argv ?? [])]) });
  process.exitCode = EXIT.invalidInput;
  out.finish(
    {
      outcome: 'validation_error',
      message: flagFirst ? `a command is needed before ${typed}` : `command "${typed}" not found${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      result: { command: typed, available: siblings, ...(suggestion ? { didYouMean: suggestion } : {}) },
      request: null,
      exitCode: EXIT.invalidInput,
    },
    { hint: `${suggestion ? `did you mean caphone ${suggestion}? ` : ''}the commands are: ${siblings.join(', ')} (see ${where} --help)` },
  );
};

export default hook;
