/**
 * Writes items in the order they were numbered (0, 1, 2, ...) however they finish: a bulk run
 * sends rows in parallel, and its report must still list them in input order. Items that finish
 * early wait in memory; once `window` of them wait, `put` holds its caller until its own item is
 * written, so a slow row cannot make memory grow without bound.
 */
export class InOrderWriter<T> {
  private readonly pending = new Map<number, T>();
  private readonly waiting = new Map<number, () => void>();
  private next = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (item: T) => Promise<void>,
    private readonly window = 1024,
  ) {}

  async put(seq: number, item: T): Promise<void> {
    this.pending.set(seq, item);
    const flushed = (this.writing = this.writing.then(() => this.flush()));
    if (this.pending.size >= this.window && seq >= this.next) {
      await new Promise<void>((resolve) => this.waiting.set(seq, resolve));
    }
    return flushed;
  }

  /** Resolves once everything put so far that can be written has been. */
  drained(): Promise<void> {
    return this.writing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.has(this.next)) {
        const seq = this.next;
        const item = this.pending.get(seq) as T;
        this.pending.delete(seq);
        this.next += 1;
        await this.write(item);
        this.waiting.get(seq)?.();
        this.waiting.delete(seq);
      }
    } catch (error) {
      // A write that fails (disk full) must not leave callers waiting for ever: they see the error.
      for (const resolve of this.waiting.values()) resolve();
      this.waiting.clear();
      throw error;
    }
  }
}
