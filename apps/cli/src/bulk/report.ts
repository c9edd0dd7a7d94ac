import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** One line of the per-row report. */
export interface ReportRow {
  row: number;
  line: number;
  phoneNumber: string;
  phoneName: string;
  phoneNumberNew: string;
  phoneNameNew: string;
  /**
   * Core's outcome kind, or what the CLI decided without sending: `invalid` (failed validation,
   * not sent), `already_applied` (the journal shows an earlier run applied it), `not_sent`
   * (the run stopped before this row), `dry_run`.
   */
  outcome: string;
  exitCode: number;
  message: string;
  /** The column at fault, when one is. */
  column: string;
  attempts: number;
  /** `applied`, `not_applied` or `unknown` when the row was settled by reading it back. */
  readBack: string;
}

export const REPORT_COLUMNS: readonly (keyof ReportRow)[] = [
  'row',
  'line',
  'phoneNumber',
  'phoneName',
  'phoneNumberNew',
  'phoneNameNew',
  'outcome',
  'exitCode',
  'message',
  'column',
  'attempts',
  'readBack',
];

export type ReportFormat = 'csv' | 'json';

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvCell(value: string | number): string {
  // A number needs neither (a negative one stays a number); '' is most cells of a report.
  if (typeof value === 'number' || value === '') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One report line, the cells in REPORT_COLUMNS' order, spelt out (a map over the columns cost
 * more). Joined from an array, not a template: a template of a dozen short cells copies the line so
 * far at every step (about 1 KB of garbage a row), a join writes it once.
 */
function csvLine(r: ReportRow): string {
  return `${[r.row, r.line, csvCell(r.phoneNumber), csvCell(r.phoneName), csvCell(r.phoneNumberNew), csvCell(r.phoneNameNew), csvCell(r.outcome), r.exitCode, csvCell(r.message), csvCell(r.column), r.attempts, csvCell(r.readBack)].join(',')}\n`;
}

/**
 * Report text is handed to the file in chunks of about this many bytes: one stream write per row
 * cost about a tenth of a bulk run's CPU (a buffer, a write request and a thread-pool hop each).
 * The report is not the run's record (the journal is), so holding a chunk back loses nothing a
 * resume needs; close() writes what is left.
 */
const CHUNK_BYTES = 64 * 1024;

/** Writes rows in the order given, honouring back-pressure, so memory stays flat. */
export class ReportWriter {
  private readonly stream: WriteStream;
  private count = 0;
  private chunk = '';
  /** A write error (disk full, file removed): kept, and thrown by the next write or by close. */
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    readonly format: ReportFormat,
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    // Without a listener an 'error' event kills the process mid-run, before the envelope is printed.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /**
   * Opens the file before any row is sent, so a report that cannot be written (no such directory,
   * no permission) stops the run while nothing has happened yet.
   */
  static async open(path: string, format: ReportFormat): Promise<ReportWriter> {
    const writer = new ReportWriter(path, format);
    await once(writer.stream, 'open');
    writer.stream.write(format === 'csv' ? `${REPORT_COLUMNS.join(',')}\n` : '[\n');
    return writer;
  }

  /**
   * Adds a row; returns a promise only when it handed a chunk to a stream that asked to wait
   * (a bulk run writes a row each, so the common case makes no promise). Throws a write error
   * that happened meanwhile.
   */
  write(row: ReportRow): void | Promise<void> {
    if (this.failure) throw this.failure;
    this.chunk += this.format === 'csv' ? csvLine(row) : `${this.count > 0 ? ',\n' : ''}${JSON.stringify(row)}`;
    this.count += 1;
    if (this.chunk.length >= CHUNK_BYTES) return this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.chunk;
    this.chunk = '';
    if (text !== '' && !this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.format === 'json') this.chunk += this.count > 0 ? '\n]\n' : ']\n';
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
