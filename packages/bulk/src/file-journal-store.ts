import { closeSync, createReadStream, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Journal, type JournalOptions } from './journal.js';
import type { JournalStore } from './journal-store.js';
import type { RowStates } from './row-states.js';

/**
 * A journal in an append-only file. Each append is one synchronous `write(2)` before the caller
 * moves on, so when the process dies (SIGKILL, a crash, a closed laptop lid) every line it wrote is
 * in the file (the kernel's, if not yet the disk's: surviving the process is the promise, not a
 * power cut, which would cost an fsync per batch). The file is created 0600.
 */
export class FileJournalStore implements JournalStore {
  private fd: number | undefined;
  /**
   * Rows whose "sending" is written in the same synchronous stretch share one write(2); the next
   * answer's row gets a write of its own, at once, instead of waiting for the rest of the event
   * loop's turn. A short write costs well under a microsecond, and a request held back for the
   * turn left the server idle: a bulk run is bound by its requests in flight, not by these writes.
   */
  readonly schedule = (flush: () => void): void => {
    queueMicrotask(flush);
  };

  constructor(readonly name: string) {}

  async *lines(): AsyncIterable<string> {
    // An empty file is a run that died before writing anything: nothing was sent.
    if (!existsSync(this.name) || statSync(this.name).size === 0) return;
    yield* createInterface({ input: createReadStream(this.name, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  }

  append(text: string): void {
    this.fd ??= openSync(this.name, 'a', 0o600);
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Opens (creating, or resuming) the journal in the file at `path`. */
export async function openFileJournal(path: string, options: Pick<JournalOptions, 'fingerprint'> = {}): Promise<Journal> {
  const store = new FileJournalStore(path);
  const journal = await Journal.open(store, options);
  // Created now even when resuming, so a path that cannot be written fails before any row is sent.
  store.append('');
  return journal;
}

/** What the journal at `path` records, without writing to it (nothing if there is no file). */
export function peekFileJournal(path: string): Promise<RowStates> {
  return Journal.peek(new FileJournalStore(path));
}
