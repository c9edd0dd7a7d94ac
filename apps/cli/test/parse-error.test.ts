import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { Args, Flags, type Interfaces, Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { describeParseError, keyFlagValues, withFlagErrors, type FlagDefinitions } from '../src/parse-errors.js';
import { readFirstLine } from '../src/read-stdin.js';
import { CLI_ROOT } from './helpers.js';

/** What oclif's own parser throws for this argv against these declarations (the real errors, not copies). */
async function parseError(argv: string[], flags: FlagDefinitions, args: Interfaces.ArgInput = {}): Promise<unknown> {
  try {
    await Parser.parse(argv, { flags: withFlagErrors(flags) as never, args, strict: true });
  } catch (error) {
    return error;
  }
  throw new Error(`${argv.join(' ')} parsed without an error`);
}

const edit = {
  json: Flags.boolean(),
  number: Flags.string({ char: 'n', required: true }),
  name: Flags.string({ char: 'N', required: true }),
  'new-name': Flags.string(),
  timeout: Flags.integer({ min: 1 }),
  api: Flags.string({ options: ['v1', 'v2'] }),
  region: Flags.string({ exclusive: ['base-url'] }),
  'base-url': Flags.string(),
  rate: Flags.custom<number>({
    parse: async (input) => {
      throw new Error(`--rate must be a number (got "${input}")`);
    },
  })(),
};
const known = Object.keys(edit);
const message = async (argv: string[]) => describeParseError(await parseError(argv, edit), known).message;

describe('describeParseError, on the errors oclif raises', () => {
  it('names missing required flags the way they are typed, in the order oclif lists them', async () => {
    expect(await message(['--number', '1'])).toBe('Missing required flag --name');
    expect(await message(['--json'])).toBe('Missing required flag --name; Missing required flag --number');
  });

  it('says which exclusive flag was given with which', async () => {
    expect(await message(['-n', '1', '-N', 'a', '--region', 'domestic', '--base-url', 'http://x'])).toBe('--base-url=http://x cannot also be provided when using --region');
  });

  it("keeps a flag's own parse failure apart from oclif's wording", async () => {
    const error = await parseError(['-n', '1', '-N', 'a', '--timeout', 'soon'], edit);
    // oclif rewrote the message of what the flag threw; the flag and the reason are still there.
    expect((error as Error).message).toMatch(/^Parsing --timeout/);
    expect(describeParseError(error, known).message).toBe('--timeout: Expected an integer but received: soon');
    expect(await message(['-n', '1', '-N', 'a', '--rate', 'x'])).toBe('--rate must be a number (got "x")');
  });

  it('suggests the closest flag for a nonexistent one, and never for a key-like one', async () => {
    const typo = describeParseError(await parseError(['-n', '1', '-N', 'a', '--new-nme', 'x'], edit), known);
    expect(typo).toMatchObject({ message: 'Nonexistent flag: --new-nme (did you mean --new-name?)', suggestion: { flag: '--new-nme', didYouMean: '--new-name' }, keyFlag: false });
    const key = describeParseError(await parseError(['-n', '1', '-N', 'a', '--api-key=K'], edit), known);
    expect(key).toMatchObject({ message: 'Nonexistent flag: --api-key=K', keyFlag: true });
    expect(key.suggestion).toBeUndefined();
    expect(await message(['-n', '1', '-N', 'a', '--zzzzzz'])).toBe('Nonexistent flag: --zzzzzz');
  });

  it('lists missing and unexpected arguments, and passes one-sentence parser errors through without the help line', async () => {
    const file = { file: Args.string({ description: 'CSV file with a header row.', required: true }) };
    expect(describeParseError(await parseError([], {}, file), []).message).toBe('Missing 1 required arg: file (CSV file with a header row.)');
    expect(describeParseError(await parseError(['-n', '1', '-N', 'a', 'extra'], edit), known).message).toBe('Unexpected argument: extra');
    expect(await message(['-n', '1', '-N', 'a', '--api', 'v3'])).toBe('Expected --api=v3 to be one of: v1, v2');
    expect(await message(['-n', '1', '-N', 'a', '-n', '2'])).toBe('Flag --number can only be specified once');
    expect(await message(['-n', '1', '-N', 'a', '--new-name'])).toBe('Flag --new-name expects a value');
  });
});

describe("caphone's flags", () => {
  it('declare only the checks describeParseError reads from oclif (required, exclusive)', async () => {
    // The built registry (src/commands.ts imports the autocomplete plugin past its exports map, which only the bundler resolves).
    const { COMMANDS } = createRequire(import.meta.url)(join(CLI_ROOT, 'dist', 'commands.cjs')) as { COMMANDS: Record<string, { baseFlags?: object; flags?: object }> };
    expect(Object.keys(COMMANDS)).toContain('phone:edit');
    const unread = ['dependsOn', 'exactlyOne', 'atLeastOne', 'combinable', 'relationships'];
    for (const [id, command] of Object.entries(COMMANDS)) {
      for (const [name, flag] of Object.entries({ ...command.baseFlags, ...command.flags }) as [string, Record<string, unknown>][]) {
        for (const key of unread) expect(flag[key], `${id} --${name} declares ${key}`).toBeUndefined();
      }
    }
  });
});

describe('keyFlagValues', () => {
  it('finds values typed after key-like flags, in both forms, but not declared flags or the next flag', () => {
    expect(keyFlagValues(['--number', '1', '--api-key', 'K1', '--apikey=K2', '--TOKEN', 'K3', '--key', '--json'])).toEqual(['K1', 'K2', 'K3']);
    expect(keyFlagValues(['--api-key', 'sandbox-key'], ['api-key'])).toEqual([]);
  });
});

describe('readFirstLine', () => {
  it('returns the first line only, trimmed, and "" for empty input', async () => {
    expect(await readFirstLine(Readable.from(['  key-1  \r\nsecond line\n']))).toBe('key-1');
    expect(await readFirstLine(Readable.from(['no newline at end']))).toBe('no newline at end');
    expect(await readFirstLine(Readable.from([]))).toBe('');
  });
});
