import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isPlainCsv, parsedRecords, plainRecords, readCsvRows, type CsvRow } from '../src/bulk/csv-rows.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

let n = 0;
function file(content: string | Buffer): string {
  const path = join(scratch.path, `plain-${++n}.csv`);
  writeFileSync(path, content);
  return path;
}

async function all<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

async function rows(path: string): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of readCsvRows(path)) out.push(row);
  return out;
}

describe('plain CSV files (the fast reader) read exactly as csv-parse reads them', () => {
  // Cells of printable ASCII (no quote), spaces around them, empty cells, rows of other widths,
  // lines of spaces or nothing, LF or CRLF, a BOM or not, a last line end or not.
  const cell = fc.stringMatching(/^ {0,2}[A-Za-z0-9+.;_#!-]{0,8} {0,2}$/);
  const line = fc.oneof({ weight: 8, arbitrary: fc.array(cell, { minLength: 1, maxLength: 7 }).map((cells) => cells.join(',')) }, { weight: 1, arbitrary: fc.constantFrom('', ' ', '   ') });
  const content = fc.record({ lines: fc.array(line, { maxLength: 30 }), crlf: fc.boolean(), bom: fc.boolean(), last: fc.boolean() }).map(({ lines, crlf, bom, last }) => {
    const end = crlf ? '\r\n' : '\n';
    return `${bom ? '\ufeff' : ''}${lines.join(end)}${last && lines.length > 0 ? end : ''}`;
  });

  it('records, line numbers and byte counts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(content, async (text) => {
        const path = file(text);
        expect(await isPlainCsv(path)).toBe(true);
        expect(await all(plainRecords(path))).toEqual(await all(parsedRecords(path)));
      }),
      { numRuns: 300 },
    );
  });

  it('a file of 200,000 bytes, read in several chunks, splits the same across chunk ends', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => `+91700${String(i).padStart(7, '0')}, Line${i} ,,${i % 7 === 0 ? '' : 'x'},General;Sales`);
    for (const end of ['\n', '\r\n']) {
      const path = file(`phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill\n`.replace('\n', end) + lines.join(end));
      expect(await isPlainCsv(path)).toBe(true);
      const plain = await all(plainRecords(path));
      expect(plain).toHaveLength(6001);
      expect(plain).toEqual(await all(parsedRecords(path)));
    }
  });

  it('anything else is left to csv-parse: quotes, tabs, non-ASCII text, a lone CR, mixed line ends, a BOM not at the start', async () => {
    const plain = 'phoneNumber,phoneName\n+919876543210,Sales\n';
    expect(await isPlainCsv(file(plain))).toBe(true);
    for (const other of [
      'phoneNumber,phoneName\n+919876543210,"Sales, North"\n',
      'phoneNumber,phoneName\n+919876543210,\tSales\n',
      'phoneNumber,phoneName\n+919876543210,Désk\n',
      'phoneNumber,phoneName\r+919876543210,Sales\r',
      'phoneNumber,phoneName\r\n+919876543210,Sales\n',
      'phoneNumber,phoneName\n+919876543210,Sales\r',
      'phoneNumber,phoneName\n\ufeff+919876543210,Sales\n',
    ]) {
      expect(await isPlainCsv(file(other)), JSON.stringify(other)).toBe(false);
    }
  });

  it('the rows a run sees are the same either way: a plain file, and the same file made not plain by one quoted cell', async () => {
    const body = ['phoneNumber,phoneName,phoneNumberNew', ' +919876543210 , Sales ,', '', '+919876543211,Support,+919876543212', '+919876543213,Ops'];
    const plain = await rows(file(`${body.join('\n')}\n`));
    const quoted = await rows(file(`${body.join('\n')}\n"+919876543214",Last,\n`));
    expect(quoted.slice(0, plain.length)).toEqual(plain);
    expect(plain.map((r) => [r.row, r.line, r.cells, r.shapeError])).toEqual([
      [1, 2, { phoneNumber: '+919876543210', phoneName: 'Sales' }, undefined],
      [2, 4, { phoneNumber: '+919876543211', phoneName: 'Support', phoneNumberNew: '+919876543212' }, undefined],
      [3, 5, { phoneNumber: '+919876543213', phoneName: 'Ops' }, 'row has 2 cells but the header has 3'],
    ]);
  });
});
