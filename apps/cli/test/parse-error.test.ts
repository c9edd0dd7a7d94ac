import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseErrorMessage } from '../src/base-command.js';
import { readFirstLine } from '../src/read-stdin.js';

describe('parseErrorMessage', () => {
  it("names flags the way they are typed and drops oclif's framing", () => {
    expect(parseErrorMessage('The following error occurred:\n  Missing required flag name\nSee more help with --help')).toBe('Missing required flag --name');
    expect(parseErrorMessage('The following errors occurred:\n  Missing required flag number\n  Missing required flag name\nSee more help with --help')).toBe(
      'Missing required flag --number; Missing required flag --name',
    );
    expect(parseErrorMessage('Nonexistent flag: --bogus\nSee more help with --help')).toBe('Nonexistent flag: --bogus');
  });
});

describe('readFirstLine', () => {
  it('returns the first line only, trimmed, and "" for empty input', async () => {
    expect(await readFirstLine(Readable.from(['  key-1  \r\nsecond line\n']))).toBe('key-1');
    expect(await readFirstLine(Readable.from(['no newline at end']))).toBe('no newline at end');
    expect(await readFirstLine(Readable.from([]))).toBe('');
  });
});
