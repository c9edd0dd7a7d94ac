import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { usageError } from '../cli-error.js';

/** The columns bulk-edit reads, in the vendor's field names. The first two identify the record. */
export const COLUMNS = ['phoneNumber', 'phoneName', 'phoneNumberNew', 'phoneNameNew', 'assignSkill', 'unAssignSkill'] as const;
export type Column = (typeof COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly Column[] = ['phoneNumber', 'phoneName'];

/** The vendor's tables spell the new name `PhoneNameNew`; a header copied from them is accepted. */
// A Map: header cells are file input (a column named `constructor` must not find Object's own).
const COLUMN_ALIASES: ReadonlyMap<string, Column> = new Map([['PhoneNameNew', 'phoneNameNew']]);

export interface CsvRow {
  /** 1 for the first data row after the header: the row's identity in the journal and the report. */
  row: number;
  /** The line in the file where the row ends (for messages). */
  line: number;
  /** Cells by column; a column the file lacks is absent. */
  cells: Partial<Record<Column, string>>;
  /** Set when the row's cell count differs from the header's. */
  shapeError?: string;
  /** Bytes of the file read so far (for the progress bar). */
  bytes: number;
}

export function headerIndex(header: readonly string[]): Map<Column, number> {
  const index = new Map<Column, number>();
  const unknown: string[] = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    const column = (COLUMNS as readonly string[]).includes(name) ? (name as Column) : COLUMN_ALIASES.get(name);
    if (!column) unknown.push(name);
    else if (index.has(column)) throw usageError(`the header names column ${column} twice`, 'keep one column per field');
    else index.set(column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (unknown.length > 0 || missing.length > 0) {
    const problems = [
      ...(unknown.length ? [`unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}`] : []),
      ...(missing.length ? [`missing required column(s) ${missing.join(', ')}`] : []),
    ];
    throw usageError(`the CSV header has ${problems.join(' and ')}`, `the header row must use these names: ${COLUMNS.join(',')}`);
  }
  return index;
}

/**
 * Streams a CSV file row by row (csv-parse under a file stream, so memory does not grow with the
 * file). The header row is checked before the first data row is yielded: a wrong header stops the
 * run before anything is sent.
 */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  let index: Map<Column, number> | undefined;
  let width = 0;
  let row = 0;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
    const { record, info } = item;
    if (!index) {
      index = headerIndex(record);
      width = record.length;
      continue;
    }
    row += 1;
    const cells: Partial<Record<Column, string>> = {};
    for (const [column, i] of index) {
      const value = record[i];
      if (value !== undefined && value !== '') cells[column] = value;
    }
    const out: CsvRow = { row, line: info.lines, cells, bytes: info.bytes };
    if (record.length !== width) out.shapeError = `row has ${record.length} cells but the header has ${width}`;
    yield out;
  }
  if (!index) throw usageError(`${path} is empty: it needs a header row`, `start the file with: ${COLUMNS.join(',')}`);
}
