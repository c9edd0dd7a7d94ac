/** A counting semaphore: at most `size` holders at once; a released slot goes to the oldest waiter. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Takes a slot if one is free now. */
  tryAcquire(): boolean {
    if (this.free === 0) return false;
    this.free -= 1;
    return true;
  }

  /** Resolves once a slot is taken (at once when one is free). */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return SETTLED;
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

// What `start` and `acquire` return when nothing had to wait: one settled promise for all of them
// (a bulk run starts a row a few microseconds apart; a new promise each was a good part of the cost).
const SETTLED: Promise<void> = Promise.resolve();

/**
 * Runs tasks `concurrency` at a time: `start` returns once its task has a slot and is running, so
 * a loop over a streamed input reads no faster than rows are sent, and memory stays flat.
 */
export class RowPool {
  private readonly slots: Slots;
  private running = 0;
  private readonly whenIdle: (() => void)[] = [];
  private readonly finished = () => {
    this.running -= 1;
    this.slots.release();
    if (this.running === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
  };

  constructor(readonly concurrency: number) {
    this.slots = new Slots(concurrency);
  }

  /**
   * Waits for a slot, then starts `task` (whose errors are its own to handle: a rejection, or a
   * throw before its promise, is dropped and frees the slot).
   */
  start(task: () => Promise<void>): Promise<void> {
    // Counted from here, waiting for its slot included: drain never sees an idle moment between
    // a task that ends and the waiting one its slot goes to.
    this.running += 1;
    if (this.slots.tryAcquire()) {
      this.run(task);
      return SETTLED;
    }
    return this.slots.acquire().then(() => this.run(task));
  }

  private run(task: () => Promise<void>): void {
    let running: Promise<void>;
    try {
      running = task();
    } catch {
      this.finished();
      return;
    }
    running.then(this.finished, this.finished);
  }

  /** Resolves when every started task has finished (tasks started meanwhile included). */
  drain(): Promise<void> {
    if (this.running === 0) return SETTLED;
    return new Promise<void>((resolve) => this.whenIdle.push(resolve));
  }
}
