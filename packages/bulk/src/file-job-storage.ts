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

/** A file appended to by whole lines, opened on first use (0600: rows name phone numbers). */
class AppendFile {
  private fd: number | undefined;
  private queued: string[] = [];

  constructor(readonly path: string) {}

  queue(text: string): void {
    if (text !== '') this.queued.push(text);
  }

  /** Writes what is queued (one write, repeated only if the kernel took part of it). */
  write(): boolean {
    if (this.queued.length === 0) return false;
    const bytes = Buffer.from(this.queued.length === 1 ? this.queued[0]! : this.queued.join(''));
    this.queued = [];
    this.fd ??= openSync(this.path, 'a', 0o600);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    return true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * A job in a directory: `rows.ndjson` (written once, complete, before the job is accepted),
 * `journal.jsonl` (the bulk journal) and `outcomes.ndjson` (one line per finished row). Files are
 * created 0600: rows name phone numbers.
 *
 * Writes are batched per turn of the event loop: every journal line and outcome handed over until
 * the loop's check phase (setImmediate) goes to its file in one synchronous write, and only then do
 * their promises resolve. So a row's "sending" is in the file before its request leaves and its
 * outcome before the runner counts it (the rules are per row, as before), but the rows that settled
 * in one turn cost one write per file, not two writes each, and the rows they make room for start
 * together: their requests leave in one burst (the simulator, or CloudAgent's front, is woken once
 * for them rather than once each).
 */
export class FileJobStorage implements JobStorage {
  readonly journal: JournalStore;
  private readonly journalFile: AppendFile;
  private readonly outcomesFile: AppendFile;
  private turn: { done: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  /** Write calls made (each covers one turn's lines of one file): for tests and benches. */
  writes = 0;

  constructor(readonly dir: string) {
    const journal = new FileJournalStore(join(dir, 'journal.jsonl'));
    this.journalFile = new AppendFile(journal.name);
    this.outcomesFile = new AppendFile(join(dir, 'outcomes.ndjson'));
    this.journal = {
      name: journal.name,
      lines: () => journal.lines(),
      append: (text) => {
        this.journalFile.queue(text);
        return this.endOfTurn();
      },
      close: () => {
        this.writeNow();
        this.journalFile.close();
      },
    };
  }

  /** Resolves once everything queued so far is written (in this turn's check phase). */
  private endOfTurn(): Promise<void> {
    if (this.turn) return this.turn.done;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.turn = { done, resolve, reject };
    setImmediate(() => this.writeNow());
    return done;
  }

  /** Writes what is queued: the journal first (what may be sent), then the outcomes (the report). */
  private writeNow(): void {
    const turn = this.turn;
    this.turn = undefined;
    try {
      if (this.journalFile.write()) this.writes += 1;
      if (this.outcomesFile.write()) this.writes += 1;
      turn?.resolve();
    } catch (error) {
      if (!turn) throw error;
      turn.reject(error);
    }
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

  /** Resolves once the outcome is in the file (written with the rest of this turn's). */
  recordOutcome(outcome: JobRowOutcome): Promise<void> {
    this.outcomesFile.queue(`${JSON.stringify(outcome)}\n`);
    return this.endOfTurn();
  }

  /** Writes what is still queued and closes the files. */
  close(): void {
    this.writeNow();
    this.journalFile.close();
    this.outcomesFile.close();
  }
}
