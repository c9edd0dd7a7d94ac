import { createReadStream } from 'node:fs';
import { Parser } from 'csv-parse';
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

/** A record as the parser hands it on: its cells, the line it ended on, the bytes read by then. */
interface ParsedRecord {
  record: string[];
  lines: number;
  bytes: number;
}

/**
 * csv-parse's parser, each record handed on with the parser's `info.lines` and `info.bytes` as they
 * stand when it is pushed: the same numbers `info: true` gives (it copies them at that moment), without
 * copying the whole counter set into two objects a record, which cost more than parsing the row.
 */
class CountingParser extends Parser {
  override push(record: string[] | null): boolean {
    if (record === null) return super.push(null);
    const parsed: ParsedRecord = { record, lines: this.info.lines, bytes: this.info.bytes };
    return super.push(parsed);
  }
}

/**
 * Streams a CSV file in batches of rows: each batch is what the parser has ready (about a read
 * chunk of the file), so memory does not grow with the file and the loop over a batch pays no
 * promise a row. The header row is checked before the first data row is handed on: a wrong header
 * stops the run before anything is sent.
 */
export async function* readCsvBatches(path: string): AsyncGenerator<CsvRow[]> {
  const file = createReadStream(path);
  const parser = new CountingParser({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true });
  // The parser is read with read() in paused mode: these listeners stay for its whole life, so an
  // error that comes while a batch is being sent is kept (not thrown as an unhandled 'error').
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  parser.on('readable', notify).on('end', notify).on('error', (error: Error) => {
    failure ??= error;
    notify();
  });
  // A file that cannot be read fails the parse: pipe() forwards no error, and the file stream's own would be unhandled.
  file.on('error', (error) => parser.destroy(error));
  file.pipe(parser);
  let index: Map<Column, number> | undefined;
  let width = 0;
  let row = 0;
  try {
    for (;;) {
      if (failure) throw failure;
      const batch: CsvRow[] = [];
      for (let item = parser.read() as ParsedRecord | null; item !== null; item = parser.read() as ParsedRecord | null) {
        const { record } = item;
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
        const out: CsvRow = { row, line: item.lines, cells, bytes: item.bytes };
        if (record.length !== width) out.shapeError = `row has ${record.length} cells but the header has ${width}`;
        batch.push(out);
      }
      if (batch.length > 0) yield batch;
      else if (parser.readableEnded) break;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    parser.destroy();
    file.destroy();
  }
  if (!index) throw usageError(`${path} is empty: it needs a header row`, `start the file with: ${COLUMNS.join(',')}`);
}

/** The rows of a CSV file one by one (see readCsvBatches). */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvBatches(path)) yield* batch;
}
