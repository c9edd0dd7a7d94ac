import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { readCsvRows, type CsvRow } from '../src/bulk/csv-rows.js';
import { openJournal, peekJournal } from '../src/bulk/journal-file.js';
import { ReportWriter, csvCell } from '../src/bulk/report.js';
import { rowHash, rowOperation } from '../src/bulk/row-operation.js';
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

  it('fingerprints rows by content', () => {
    const a = row({ phoneNumber: '1234', phoneName: 'Sales', phoneNameNew: 'X1' });
    expect(rowHash(a)).toBe(rowHash({ ...a, row: 9 }));
    expect(rowHash(a)).not.toBe(rowHash(row({ phoneNumber: '1234', phoneName: 'Sales', phoneNameNew: 'X2' })));
  });
});

// The journal itself is tested in @cloudagent-phone/bulk; here, what the CLI makes of its errors.
describe('journal files', () => {
  it('a file that is not a caphone journal is exit 2 with what to do, for a run and a dry run', async () => {
    const path = join(scratch.path, 'not-a-journal.jsonl');
    writeFileSync(path, '{"hello":1}\n');
    for (const open of [openJournal, peekJournal]) {
      const error = await open(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toMatch(/not a caphone bulk-edit journal/);
      expect((error as CliError).hint).toMatch(/--journal/);
    }
    expect(readFileSync(path, 'utf8')).toBe('{"hello":1}\n');
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
