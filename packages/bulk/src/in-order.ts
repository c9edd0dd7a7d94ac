/**
 * Writes items in the order they were numbered (0, 1, 2, ...) however they finish: a bulk run
 * sends rows in parallel, and its report must still list them in input order. Items that finish
 * early wait in memory; once `window` of them wait, `put` holds its caller until its own item is
 * written, so a slow row cannot make memory grow without bound.
 *
 * A write either finishes at once (returns nothing) or returns a promise (back-pressure: a full
 * stream buffer). Items that can be written are written in `put`'s own call, with no promise or
 * microtask per item (a bulk run puts one item a row); only a write's promise is waited for.
 */
export class InOrderWriter<T> {
  private readonly pending = new Map<number, T>();
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: unknown) => void }>();
  private next = 0;
  /** While a write's promise is outstanding: settles once every writable item is written. */
  private busy: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly write: (item: T) => void | Promise<void>,
    private readonly window = 1024,
  ) {}

  /**
   * Queues item `seq` and writes what is now in order. Returns nothing when all of that is
   * written; otherwise a promise that settles once it is (or, with `window` items waiting, once
   * this item is), and rejects when a write failed (disk full), as every later put does.
   */
  put(seq: number, item: T): void | Promise<void> {
    if (!this.failure) {
      this.pending.set(seq, item);
      if (!this.busy) this.pump();
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.pending.has(seq) && this.pending.size >= this.window) {
      return new Promise<void>((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    }
    return this.busy;
  }

  /** Resolves once everything put so far that can be written has been. */
  async drained(): Promise<void> {
    await this.busy;
    if (this.failure) throw this.failure.error;
  }

  /** Writes items while the next one is there, until a write returns a promise (then after it). */
  private pump(): void {
    while (this.pending.has(this.next)) {
      const seq = this.next;
      const item = this.pending.get(seq) as T;
      this.pending.delete(seq);
      this.next += 1;
      let written: void | Promise<void>;
      try {
        written = this.write(item);
      } catch (error) {
        this.fail(error);
        return;
      }
      if (written) {
        this.busy = written.then(
          () => {
            this.busy = undefined;
            this.settle(seq);
            this.pump();
            if (this.failure) throw this.failure.error;
            return this.busy;
          },
          (error: unknown) => {
            this.busy = undefined;
            this.fail(error);
            throw error;
          },
        );
        return;
      }
      this.settle(seq);
    }
  }

  private settle(seq: number): void {
    const waiter = this.waiting.get(seq);
    if (!waiter) return;
    this.waiting.delete(seq);
    waiter.resolve();
  }

  /** A write that fails must not leave callers waiting for ever: each of them sees the error. */
  private fail(error: unknown): void {
    this.failure ??= { error };
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
