/**
 * Where a journal's lines live: a file on Node (`@cloudagent-phone/bulk/node`), a Durable Object's
 * storage on Workers, an array in a test. The journal is append-only JSON lines, so a store needs
 * only to hand back what was appended and to append more.
 */
export interface JournalStore {
  /** What the journal is, for messages: a file path, a job id. */
  readonly name: string;
  /**
   * The lines appended so far, oldest first, without their newlines. Nothing for a new journal. A
   * torn last line (the process died mid-append) may appear; the journal skips it.
   */
  lines(): AsyncIterable<string>;
  /**
   * Appends whole lines (each ending in `\n`). When it returns (or its promise resolves) the text
   * must survive the process being killed: the journal relies on that to write a row's "sending"
   * before the row's request leaves.
   */
  append(text: string): void | Promise<void>;
  close(): void | Promise<void>;
  /**
   * When a batch of lines is appended, if the store has a preference (see JournalOptions.schedule;
   * the caller's option wins). The file store's is a microtask: a short write(2) costs less than
   * holding a freed row's request back for the rest of the event loop's turn.
   */
  readonly schedule?: (flush: () => void) => void;
}

/**
 * Thrown by a store's `append` that refused to record a row's "sending" because the job was
 * cancelled meanwhile (the job's Durable Object on Workers): nothing was written for those rows, so
 * nothing may be sent; JobRunner reports them not sent. Lines of other kinds in the same append are
 * written.
 */
export class JobCancelledError extends Error {
  constructor() {
    super('the job was cancelled: the row was not sent');
    this.name = 'JobCancelledError';
  }
}

/** A store in memory: for tests and for runs that need no resume (nothing survives the process). */
export class MemoryJournalStore implements JournalStore {
  readonly text: string[] = [];
  appends = 0;
  constructor(readonly name = 'memory') {}

  async *lines(): AsyncIterable<string> {
    for (const line of this.text.join('').split('\n')) if (line !== '') yield line;
  }

  append(text: string): void {
    this.appends += 1;
    this.text.push(text);
  }

  close(): void {}
}
