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
 *
 * A plain file (see isPlainCsv: what bulk files mostly are) is split by plainRecords, which gives
 * exactly the records, lines and byte counts csv-parse gives for such a file at a fraction of its
 * cost; anything else (quotes, tabs, non-ASCII text, mixed line ends) is csv-parse's.
 */
export async function* readCsvBatches(path: string): AsyncGenerator<CsvRow[]> {
  const records = (await isPlainCsv(path)) ? plainRecords(path) : parsedRecords(path);
  let index: Map<Column, number> | undefined;
  let width = 0;
  let row = 0;
  for await (const items of records) {
    const batch: CsvRow[] = [];
    for (const item of items) {
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
  }
  if (!index) throw usageError(`${path} is empty: it needs a header row`, `start the file with: ${COLUMNS.join(',')}`);
}

/** csv-parse's records, in the batches it has ready (exported for the test that holds plainRecords to it). */
export async function* parsedRecords(path: string): AsyncGenerator<ParsedRecord[]> {
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
  try {
    for (;;) {
      if (failure) throw failure;
      const batch: ParsedRecord[] = [];
      for (let item = parser.read() as ParsedRecord | null; item !== null; item = parser.read() as ParsedRecord | null) batch.push(item);
      if (batch.length > 0) yield batch;
      else if (parser.readableEnded) break;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    parser.destroy();
    file.destroy();
  }
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Whether the file is plain: after an optional UTF-8 byte-order mark, only printable ASCII other
 * than the double quote (so no quoted cell, no tab, no text csv-parse would decode or trim as
 * Unicode), with line ends all LF or all CRLF. One pass over the bytes, before the run reads them.
 */
export async function isPlainCsv(path: string): Promise<boolean> {
  let offset = 0;
  let previous = -1;
  let lf = false;
  let crlf = false;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      let i = 0;
      if (offset === 0 && chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2]) i = 3;
      for (; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte >= 0x20 && byte <= 0x7e && byte !== QUOTE) {
          if (previous === CR) return false;
        } else if (byte === LF) {
          if (previous === CR) crlf = true;
          else lf = true;
          if (lf && crlf) return false;
        } else if (byte !== CR || previous === CR) {
          return false;
        }
        previous = byte;
      }
      offset += chunk.length;
    }
  } catch {
    // Unreadable: csv-parse's path reports it the way it always has.
    return false;
  }
  return previous !== CR;
}

/**
 * A plain file's records (see isPlainCsv), as csv-parse gives them with the options above: cells
 * split at commas and trimmed of spaces, lines of spaces or nothing skipped (they still count as
 * lines), `lines` the line the record is on, `bytes` the bytes read up to and including its line
 * end. A byte a plain file cannot hold means the file changed since it was checked: the run stops.
 */
export async function* plainRecords(path: string): AsyncGenerator<ParsedRecord[]> {
  let carry = '';
  let consumed = 0;
  let lines = 0;
  let first = true;
  const file = createReadStream(path);
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      let text = chunk.toString('latin1');
      if (first) {
        first = false;
        if (text.startsWith('\xef\xbb\xbf')) {
          text = text.slice(3);
          consumed = 3;
        }
      }
      if (carry !== '') text = carry + text;
      const batch: ParsedRecord[] = [];
      let from = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', from)) {
        lines += 1;
        consumed += end + 1 - from;
        const record = plainRecord(text, from, text.charCodeAt(end - 1) === CR && end > from ? end - 1 : end, lines);
        if (record) batch.push({ record, lines, bytes: consumed });
        from = end + 1;
      }
      carry = text.slice(from);
      if (batch.length > 0) yield batch;
    }
    if (carry !== '') {
      lines += 1;
      consumed += carry.length;
      const record = plainRecord(carry, 0, carry.length, lines);
      if (record) yield [{ record, lines, bytes: consumed }];
    }
  } finally {
    file.destroy();
  }
}

const CHANGED = /[^\x20-\x21\x23-\x7e]/;

/** One line's cells, trimmed of spaces; undefined for a line of spaces or nothing. */
function plainRecord(text: string, from: number, to: number, lineNumber: number): string[] | undefined {
  const line = text.slice(from, to);
  // Thrown as csv-parse's errors are: the run stops reading there (csv_error) and says why.
  if (CHANGED.test(line)) throw new Error(`the file changed while it was being read (line ${lineNumber} holds what it did not hold when checked)`);
  if (line.trim() === '') return undefined;
  const cells = line.split(',');
  for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
  return cells;
}

/** The rows of a CSV file one by one (see readCsvBatches). */
export async function* readCsvRows(path: string): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvBatches(path)) yield* batch;
}
