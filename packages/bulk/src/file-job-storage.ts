import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FileJournalStore } from './file-journal-store.js';
import type { JobRow, JobRowOutcome, JobStorage } from './job.js';
import type { JournalStore } from './journal-store.js';

async function* jsonLines<T>(path: string): AsyncIterable<T> {
  if (!existsSync(path) || statSync(path).size === 0) return;
  for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      // A torn last line (the process died mid-write).
    }
  }
}

/** The outcomes file from its start to `end` bytes, line by line (nothing when it is absent or empty). */
async function* linesUpTo(path: string, end: number): AsyncIterable<string> {
  if (end === 0) return;
  const input = createReadStream(path, { encoding: 'utf8', start: 0, end: end - 1 });
  try {
    yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  } finally {
    // A report the client stopped reading closes the file now, not when the stream is collected.
    input.destroy();
  }
}

const ROW_PREFIX = '{"row":';

/**
 * The row an outcome line is for, read from the line's start as JSON.stringify writes it
 * (`{"row":12,...`: no parse), else by parsing it; undefined for a line that names none. A line
 * torn by a crash may give a row here and still not parse: it counts for the order, not as an outcome.
 */
function rowOfLine(line: string): number | undefined {
  if (line.startsWith(ROW_PREFIX)) {
    let row = 0;
    let i = ROW_PREFIX.length;
    for (; i < line.length && i < ROW_PREFIX.length + 15; i++) {
      const digit = line.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      row = row * 10 + digit;
    }
    if (i > ROW_PREFIX.length && (line[i] === ',' || line[i] === '}')) return row;
  }
  const outcome = outcomeOfLine(line);
  return outcome?.row;
}

function outcomeOfLine(line: string): JobRowOutcome | undefined {
  try {
    const value = JSON.parse(line) as JobRowOutcome | null;
    return typeof value === 'object' && value !== null && Number.isSafeInteger(value.row) ? value : undefined;
  } catch {
    // A torn line (the process died mid-write).
    return undefined;
  }
}

/** A row of the job and its outcome (the last one recorded), or none yet. */
export interface JobRowWithOutcome {
  row: JobRow;
  outcome: JobRowOutcome | undefined;
}

export interface RowsWithOutcomesOptions {
  /**
   * How many rows later than the latest row recorded so far an outcome may still be found in the
   * streaming window (default 1024): a job runs at most 16 rows at once, so its outcomes are only
   * a few rows out of order. An outcome recorded later than that (a resumed run recording a row
   * again, a row that took very long) is kept aside from a first pass: correct whatever the order,
   * and memory grows with those late outcomes only.
   */
  windowRows?: number;
  /** Filled in as the report streams (tests, benches): the most outcomes held at once, in the window and aside. */
  stats?: { heldAtMost: number };
}

/** Outcomes wait this long at most for the rows that settle after them (one write for all). */
const OUTCOMES_HELD_MS = 50;
/** ... or until this many are waiting: then they go at the end of the turn. */
const OUTCOMES_HELD_LINES = 256;

/**
 * A file appended to by whole lines, in batches: what is handed over goes to the file in one
 * synchronous write, at the end of the turn of the event loop (setImmediate) or, with `holdMs`, up
 * to that long later (sooner once `holdLines` are waiting); each caller's promise resolves once its
 * text is in the file. Opened on first use, 0600 (rows name phone numbers).
 */
class BatchedFile {
  private fd: number | undefined;
  private queued: string[] = [];
  private batch: { done: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  /** Write calls made. */
  writes = 0;

  constructor(
    readonly path: string,
    private readonly holdMs = 0,
    private readonly holdLines = Number.POSITIVE_INFINITY,
  ) {}

  append(text: string): Promise<void> {
    if (text !== '') this.queued.push(text);
    if (!this.batch) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.batch = { done, resolve, reject };
    }
    if (this.holdMs === 0 || this.queued.length >= this.holdLines) this.immediate ??= setImmediate(() => this.write());
    else this.timer ??= setTimeout(() => this.write(), this.holdMs);
    return this.batch.done;
  }

  /** Writes what is queued now (one write, repeated only if the kernel took part of it). */
  write(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const batch = this.batch;
    this.batch = undefined;
    try {
      if (this.queued.length > 0) {
        const bytes = Buffer.from(this.queued.length === 1 ? this.queued[0]! : this.queued.join(''));
        this.queued = [];
        this.fd ??= openSync(this.path, 'a', 0o600);
        let written = 0;
        while (written < bytes.length) written += writeSync(this.fd, bytes, written);
        this.writes += 1;
      }
      batch?.resolve();
    } catch (error) {
      if (!batch) throw error;
      batch.reject(error);
    }
  }

  close(): void {
    this.write();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * A job in a directory: `rows.ndjson` (written once, complete, before the job is accepted),
 * `journal.jsonl` (the bulk journal) and `outcomes.ndjson` (one line per finished row). Files are
 * created 0600: rows name phone numbers.
 *
 * Writes are batched. Journal lines handed over in one turn of the event loop go to the file in one
 * write at its end (setImmediate), and only then do their promises resolve: a row's "sending" is in
 * the file before its request leaves, and the rows started in one turn share a write and leave
 * together. Outcomes wait up to 50 ms (or until 256 wait) and go in one write; a row is counted
 * only once its outcome is written (JobRunner waits for `recordOutcome`, but not with the row's
 * slot: the next row starts meanwhile). An outcome lost in a crash is recorded again from the
 * journal, as before (the journal decides what may be sent, never the outcomes).
 */
export class FileJobStorage implements JobStorage {
  readonly journal: JournalStore;
  private readonly journalFile: BatchedFile;
  private readonly outcomesFile: BatchedFile;

  constructor(readonly dir: string) {
    const journal = new FileJournalStore(join(dir, 'journal.jsonl'));
    this.journalFile = new BatchedFile(journal.name);
    this.outcomesFile = new BatchedFile(join(dir, 'outcomes.ndjson'), OUTCOMES_HELD_MS, OUTCOMES_HELD_LINES);
    this.journal = {
      name: journal.name,
      lines: () => journal.lines(),
      append: (text) => this.journalFile.append(text),
      close: () => this.journalFile.close(),
    };
  }

  /** Write calls made to the journal and the outcomes (each covers a batch of lines): for tests and benches. */
  get writes(): number {
    return this.journalFile.writes + this.outcomesFile.writes;
  }

  /**
   * Writes a new job's rows, all or nothing (a temporary file, fsynced, then renamed): a job that
   * was accepted has every row on disk, and a crash while writing leaves no half a job.
   */
  static async create(dir: string, rows: Iterable<JobRow>): Promise<FileJobStorage> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = join(dir, 'rows.ndjson.partial');
    const fd = openSync(temporary, 'w', 0o600);
    try {
      let chunk = '';
      for (const row of rows) {
        chunk += `${JSON.stringify(row)}\n`;
        if (chunk.length >= 64 * 1024) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      if (chunk) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, join(dir, 'rows.ndjson'));
    return new FileJobStorage(dir);
  }

  rows(): AsyncIterable<JobRow> {
    return jsonLines<JobRow>(join(this.dir, 'rows.ndjson'));
  }

  outcomes(): AsyncIterable<JobRowOutcome> {
    return jsonLines<JobRowOutcome>(this.outcomesFile.path);
  }

  /**
   * Every row in input order with its outcome (the last one recorded for it: a resumed run may
   * record a row again), streamed from the two files without holding every outcome: a first pass
   * over the outcomes reads only each line's row number and keeps aside the few recorded far out
   * of order (see `windowRows`); the second walks the rows and the outcomes side by side, holding
   * at most `windowRows` of them. Both passes read the outcomes file as long as it was when the
   * report began, so a job still running reports a consistent snapshot (rows finished since: no
   * outcome yet).
   */
  async *rowsWithOutcomes(options: RowsWithOutcomesOptions = {}): AsyncIterable<JobRowWithOutcome> {
    const window = options.windowRows ?? 1024;
    const path = this.outcomesFile.path;
    const end = existsSync(path) ? statSync(path).size : 0;
    const note = (held: number) => {
      if (options.stats && held > options.stats.heldAtMost) options.stats.heldAtMost = held;
    };
    // A line is late when its row is more than `window` below the highest row on a line before it:
    // both passes decide it the same way, over the same bytes. A line that is not late is always
    // read before the walk below passes its row; a late one is, for its row, after every line that
    // is not (the highest row before it only grows), so the last late one wins.
    const late = new Map<number, JobRowOutcome>();
    let highest = Number.NEGATIVE_INFINITY;
    for await (const line of linesUpTo(path, end)) {
      const row = rowOfLine(line);
      if (row === undefined) continue;
      if (row + window < highest) {
        const outcome = outcomeOfLine(line);
        if (outcome) late.set(row, outcome);
      }
      if (row > highest) highest = row;
    }
    note(late.size);

    const lines = linesUpTo(path, end)[Symbol.asyncIterator]();
    const ahead = new Map<number, JobRowOutcome>();
    let read = Number.NEGATIVE_INFINITY;
    let exhausted = false;
    try {
      for await (const row of this.rows()) {
        // Every line for this row that is not late comes before the first line past row + window.
        while (!exhausted && read <= row.row + window) {
          const next = await lines.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          const lineRow = rowOfLine(next.value);
          if (lineRow === undefined) continue;
          const isLate = lineRow + window < read;
          if (lineRow > read) read = lineRow;
          if (isLate) continue;
          const outcome = outcomeOfLine(next.value);
          if (outcome) ahead.set(lineRow, outcome);
        }
        note(ahead.size + late.size);
        const outcome = late.get(row.row) ?? ahead.get(row.row);
        ahead.delete(row.row);
        late.delete(row.row);
        yield { row, outcome };
      }
    } finally {
      await lines.return?.();
    }
  }

  /** Resolves once the outcome is in the file (written with the others of its batch). */
  recordOutcome(outcome: JobRowOutcome): Promise<void> {
    return this.outcomesFile.append(`${JSON.stringify(outcome)}\n`);
  }

  /** Writes what is still waiting and closes the files. */
  close(): void {
    this.journalFile.close();
    this.outcomesFile.close();
  }
}
