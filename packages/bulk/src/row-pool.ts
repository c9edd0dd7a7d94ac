/** A counting semaphore: at most `size` holders at once; a released slot goes to the oldest waiter. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/**
 * Runs tasks `concurrency` at a time: `start` returns once its task has a slot and is running, so
 * a loop over a streamed input reads no faster than rows are sent, and memory stays flat.
 */
export class RowPool {
  private readonly slots: Slots;
  private readonly running = new Set<Promise<void>>();

  constructor(readonly concurrency: number) {
    this.slots = new Slots(concurrency);
  }

  /** Waits for a slot, then starts `task` (whose errors are its own to handle: a rejection is dropped). */
  async start(task: () => Promise<void>): Promise<void> {
    await this.slots.acquire();
    const run: Promise<void> = task()
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(run);
        this.slots.release();
      });
    this.running.add(run);
  }

  /** Resolves when every started task has finished. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
