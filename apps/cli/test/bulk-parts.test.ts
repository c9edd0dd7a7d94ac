import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { parse } from 'csv-parse';
import { isPlainCsv, parsedRecords, plainRecords, readCsvBatches, readCsvRows, type CsvRow } from '../src/bulk/csv-rows.js';
import { openJournal, peekJournal } from '../src/bulk/journal-file.js';
import { journalFingerprint } from '../src/bulk/run-bulk.js';
import { ReportWriter, csvCell } from '../src/bulk/report.js';
import { ROW_FINGERPRINT, rowFingerprintFor, rowFnv1a, rowOperation, rowSha256 } from '../src/bulk/row-operation.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

let n = 0;
function file(text: string): string {
  const path = join(scratch.path, `f${++n}.csv`);
  writeFileSync(path, text);
  return path;
}

async function rows(path: string): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of readCsvRows(path)) out.push(row);
  return out;
}

describe('readCsvRows', () => {
  it('reads quoted cells, a BOM, CRLF and blank lines, numbering data rows from 1', async () => {
    const path = file('\uFEFFphoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill\r\n+911234567,Sales,,"Sales, North",\r\n\r\n"+919999",Ops,+918888,,"General,QA_Skill",Support\r\n');
    const got = await rows(path);
    expect(got.map((r) => r.row)).toEqual([1, 2]);
    expect(got[0]!.shapeError).toBe('row has 5 cells but the header has 6');
    expect(got[1]!.cells).toEqual({ phoneNumber: '+919999', phoneName: 'Ops', phoneNumberNew: '+918888', assignSkill: 'General,QA_Skill', unAssignSkill: 'Support' });
    expect(got[1]!.line).toBe(4);
  });

  it('gives each row the line and byte counts csv-parse\'s own info gives (quoted newlines, CR, CRLF, blank and padded lines)', async () => {
    const text = `phoneNumber,phoneName,phoneNameNew\n1,"a\nb",x\r\n\r\n  2 , b ,y\r3,c,"multi\r\nline\nname"\n\n\n4,d,z\n${'5,e,w\n'.repeat(3000)}6,f,"last"`;
    const path = file(text);
    const expected: { lines: number; bytes: number }[] = [];
    for await (const { info } of parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as AsyncIterable<{ info: { lines: number; bytes: number } }>) {
      expected.push({ lines: info.lines, bytes: info.bytes });
    }
    const got = await rows(path);
    expect(got).toHaveLength(expected.length - 1);
    expect(got.map((r) => ({ lines: r.line, bytes: r.bytes }))).toEqual(expected.slice(1));
    expect(new Set(got.map((r) => r.line)).size).toBe(got.length);
    expect(got.at(-1)!.cells).toEqual({ phoneNumber: '6', phoneName: 'f', phoneNameNew: 'last' });
  });

  it('hands rows on in batches of what the parser has ready, not one promise a row', async () => {
    const path = file(`phoneNumber,phoneName\n${Array.from({ length: 20_000 }, (_, i) => `${i},n${i}`).join('\n')}\n`);
    const sizes: number[] = [];
    for await (const batch of readCsvBatches(path)) sizes.push(batch.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(sizes.length).toBeLessThan(100);
  });

  it('a CSV error after rows were handed on reaches the reader, even while it is busy with a batch', async () => {
    const path = file(`phoneNumber,phoneName\n${'1,a\n'.repeat(20_000)}2,"broken"x\n3,c\n`);
    let seen = 0;
    const error = await (async () => {
      for await (const batch of readCsvBatches(path)) {
        seen += batch.length;
        // A slow consumer (rows being sent): the parser meets the bad quote meanwhile.
        await new Promise((r) => setTimeout(r, 5));
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/line 20002/);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(20_000);
  });

  it('a file that cannot be read is an error, not a hang', async () => {
    await expect(rows(scratch.path)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('accepts the vendor spelling PhoneNameNew and columns in any order', async () => {
    const got = await rows(file('PhoneNameNew,phoneName,phoneNumber\nNew1,Old1,12345\n'));
    expect(got[0]!.cells).toEqual({ phoneNameNew: 'New1', phoneName: 'Old1', phoneNumber: '12345' });
  });

  it.each([
    ['phoneNumber,phoneName,phone_new\n1,2,3\n', /unknown column\(s\) "phone_new"/],
    ['phoneNumber,phoneNameNew\n1,2\n', /missing required column\(s\) phoneName/],
    ['phoneNumber,phoneName,phoneName\n1,2,3\n', /twice/],
    ['', /empty/],
  ])('refuses a bad header before yielding any row (%#)', async (text, message) => {
    const error = await rows(file(text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(message);
  });
});

describe('rowOperation', () => {
  const row = (cells: CsvRow['cells']): CsvRow => ({ row: 1, line: 2, cells, bytes: 0 });

  it('builds an edit, keeps the number when phoneNumberNew is empty, splits skills on ; and ,', () => {
    const check = rowOperation(row({ phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'Sales_N', assignSkill: 'General;QA_Skill', unAssignSkill: 'A,B' }));
    expect(check).toEqual({
      ok: true,
      op: { action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNumberNew: '+919876543210', phoneNameNew: 'Sales_N', assignSkill: ['General', 'QA_Skill'], unAssignSkill: ['A', 'B'] },
    });
  });

  it('names the CSV column and the rule when a row is invalid', () => {
    const check = rowOperation(row({ phoneNumber: '+919876543210', phoneName: 'Sales', phoneNumberNew: 'abc' }));
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.issues[0]).toMatchObject({ flag: 'phoneNumberNew', rule: 'phone-number-format' });
  });

  it.each([
    ['fnv1a-32', rowFnv1a],
    ['sha256 (journals without a scheme)', rowSha256],
  ])('fingerprints rows by content, not by position (%s)', (_, fingerprint) => {
    const a = row({ phoneNumber: '1234', phoneName: 'Sales', phoneNameNew: 'X1' });
    expect(fingerprint(a)).toBe(fingerprint({ ...a, row: 9, line: 40, bytes: 999 }));
    expect(fingerprint(a)).not.toBe(fingerprint(row({ phoneNumber: '1234', phoneName: 'Sales', phoneNameNew: 'X2' })));
    // A value moved to the next column is a different row.
    expect(fingerprint(row({ phoneNumber: '1234', phoneName: 'Sales' }))).not.toBe(fingerprint(row({ phoneNumber: '1234', phoneNameNew: 'Sales' })));
    expect(fingerprint(a)).toBeGreaterThanOrEqual(0);
    expect(fingerprint(a)).toBeLessThan(2 ** 32);
  });

  it('fnv1a-32 tells apart every one-character edit of a row (each step is a bijection)', () => {
    const cells = { phoneNumber: '+919876543210', phoneName: 'Sales_North', phoneNumberNew: '+919876543211', assignSkill: 'General,QA' };
    const seen = new Set([rowFnv1a(row(cells))]);
    let variants = 1;
    for (const [column, value] of Object.entries(cells)) {
      for (let i = 0; i < value.length; i++) {
        for (const replacement of ['0', '9', 'a', 'Z', ',', ' ', '\u00e9', '\u0939']) {
          if (value[i] === replacement) continue;
          seen.add(rowFnv1a(row({ ...cells, [column]: value.slice(0, i) + replacement + value.slice(i + 1) })));
          variants += 1;
        }
      }
    }
    expect(seen.size).toBe(variants);
  });

  it('picks the fingerprint a journal names: the current one, SHA-256 for an older journal, none for an unknown name', () => {
    expect(rowFingerprintFor(ROW_FINGERPRINT)).toBe(rowFnv1a);
    expect(rowFingerprintFor(undefined)).toBe(rowSha256);
    expect(rowFingerprintFor('blake3')).toBeUndefined();
  });
});

// The journal itself is tested in @cloudagent-phone/bulk; here, what the CLI makes of its errors.
describe('journal files', () => {
  it('a file that is not a caphone journal is exit 2 with what to do, for a run and a dry run', async () => {
    const path = join(scratch.path, 'not-a-journal.jsonl');
    writeFileSync(path, '{"hello":1}\n');
    for (const open of [(p: string) => openJournal(p, ROW_FINGERPRINT), peekJournal]) {
      const error = await open(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toMatch(/not a caphone bulk-edit journal/);
      expect((error as CliError).hint).toMatch(/--journal/);
    }
    expect(readFileSync(path, 'utf8')).toBe('{"hello":1}\n');
  });

  it('a new journal names its fingerprint in the header; one a newer caphone wrote is exit 2, not guessed at', async () => {
    const path = join(scratch.path, 'new.jsonl');
    const journal = await openJournal(path, ROW_FINGERPRINT);
    expect(journalFingerprint(journal)).toBe(rowFnv1a);
    await journal.close();
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!)).toMatchObject({ kind: 'caphone-bulk-edit-journal', fingerprint: ROW_FINGERPRINT });
    const again = await openJournal(path, ROW_FINGERPRINT);
    expect(again.resumed).toBe(true);
    expect(journalFingerprint(again)).toBe(rowFnv1a);
    await again.close();

    const older = join(scratch.path, 'older.jsonl');
    writeFileSync(older, `${JSON.stringify({ kind: 'caphone-bulk-edit-journal', v: 1, started: '2026-01-01T00:00:00Z' })}\n`);
    const old = await openJournal(older, ROW_FINGERPRINT);
    expect(journalFingerprint(old)).toBe(rowSha256);
    await old.close();

    const newer = join(scratch.path, 'newer.jsonl');
    writeFileSync(newer, `${JSON.stringify({ kind: 'caphone-bulk-edit-journal', v: 1, started: '2026-01-01T00:00:00Z', fingerprint: 'blake3' })}\n`);
    const journalOfNewer = await openJournal(newer, ROW_FINGERPRINT);
    const error = (() => {
      try {
        return journalFingerprint(journalOfNewer);
      } catch (e) {
        return e;
      }
    })();
    await journalOfNewer.close();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/"blake3".*newer caphone/);
  });
});

describe('ReportWriter', () => {
  const base = { line: 2, phoneNumber: '+919876543210', phoneName: 'a,b', phoneNumberNew: '', phoneNameNew: '=cmd()', outcome: 'success', exitCode: 0, message: 'say "hi"', column: '', attempts: 1, readBack: '' };

  it('writes CSV with quoting, keeps +numbers and defuses formulas', async () => {
    const path = join(scratch.path, 'r.csv');
    const w = await ReportWriter.open(path, 'csv');
    await w.write({ row: 1, ...base });
    await w.close();
    const [header, line] = readFileSync(path, 'utf8').trim().split('\n');
    expect(header).toBe('row,line,phoneNumber,phoneName,phoneNumberNew,phoneNameNew,outcome,exitCode,message,column,attempts,readBack');
    expect(line).toBe(`1,2,+919876543210,"a,b",,'=cmd(),success,0,"say ""hi""",,1,`);
    expect(csvCell('-5')).toBe('-5');
  });

  it('writes a JSON array', async () => {
    const path = join(scratch.path, 'r.json');
    const w = await ReportWriter.open(path, 'json');
    await w.write({ row: 1, ...base });
    await w.write({ row: 2, ...base });
    await w.close();
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    expect(parsed.map((r: { row: number }) => r.row)).toEqual([1, 2]);
  });
});

async function all<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(...batch);
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
