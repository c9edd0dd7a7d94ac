import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { keyFlagValues, parseErrorMessage } from '../src/base-command.js';
import { readFirstLine } from '../src/read-stdin.js';

describe('parseErrorMessage', () => {
  it("names flags the way they are typed and drops oclif's framing", () => {
    expect(parseErrorMessage('The following error occurred:\n  Missing required flag name\nSee more help with --help')).toBe('Missing required flag --name');
    expect(parseErrorMessage('The following errors occurred:\n  Missing required flag number\n  Missing required flag name\nSee more help with --help')).toBe(
      'Missing required flag --number; Missing required flag --name',
    );
    expect(parseErrorMessage('Nonexistent flag: --bogus\nSee more help with --help')).toBe('Nonexistent flag: --bogus');
  });

  it("reads a flag's own parse failure and a missing argument as one line naming the flag or argument", () => {
    expect(parseErrorMessage('Parsing --timeout \n\tExpected an integer but received: abc\nSee more help with --help')).toBe('--timeout: Expected an integer but received: abc');
    expect(parseErrorMessage('Parsing --rate \n\t--rate must be a number (got "x")\nSee more help with --help')).toBe('--rate must be a number (got "x")');
    expect(parseErrorMessage('Missing 1 required arg:\nfile  CSV file with a header row.\nSee more help with --help')).toBe('Missing 1 required arg: file (CSV file with a header row.)');
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
