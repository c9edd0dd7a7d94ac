import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { JobRow, JobRowOutcome, JobStorage } from './job.js';
import { FileJournalStore } from './file-journal-store.js';

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

/**
 * A job in a directory: `rows.ndjson` (written once, complete, before the job is accepted),
 * `journal.jsonl` (the bulk journal) and `outcomes.ndjson` (one line per finished row). Files are
 * created 0600: rows name phone numbers.
 */
export class FileJobStorage implements JobStorage {
  readonly journal: FileJournalStore;
  private outcomesFd: number | undefined;

  constructor(readonly dir: string) {
    this.journal = new FileJournalStore(join(dir, 'journal.jsonl'));
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
    return jsonLines<JobRowOutcome>(join(this.dir, 'outcomes.ndjson'));
  }

  recordOutcome(outcome: JobRowOutcome): void {
    this.outcomesFd ??= openSync(join(this.dir, 'outcomes.ndjson'), 'a', 0o600);
    writeSync(this.outcomesFd, `${JSON.stringify(outcome)}\n`);
  }

  close(): void {
    if (this.outcomesFd !== undefined) closeSync(this.outcomesFd);
    this.outcomesFd = undefined;
  }
}
