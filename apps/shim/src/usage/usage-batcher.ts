import { UsageTally, hourOf, keepFrom, type UsageRow } from './usage-row.js';
import type { UsageStore } from './usage-store.js';

export interface UsageBatcherOptions {
  store: UsageStore;
  now: () => number;
  /** How long counts gather before they are sent as one batch, ms. 0: right after each answer. */
  flushMs: number;
  /** A batch the store did not take: it is not re-sent (it may have been applied), only reported. */
  onLostBatch: (rows: number, error: unknown) => void;
}

/**
 * Gathers counts off the request path and sends them to the store in batches: the first count after
 * a send starts a timer of `flushMs`; whatever is counted meanwhile (by any request) joins the batch.
 *
 * On Workers the request whose count started the timer `claim()`s the batch and hands it to
 * `ctx.waitUntil`: the answer never waits for the store, and the isolate stays up until the batch
 * is sent. Each batch is sent, and waited for, in the context of the request that started it (a
 * Worker may not wait on another request's I/O). What a lost batch can lose: one isolate's (or
 * process's) counts of at most `flushMs`, if the isolate dies or the store fails meanwhile.
 */
export class UsageBatcher {
  readonly #options: UsageBatcherOptions;
  readonly #pending = new UsageTally();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unclaimed: Promise<void> | undefined;

  constructor(options: UsageBatcherOptions) {
    this.#options = options;
  }

  count(account: string, key: string, count = 1): void {
    this.#pending.add({ hour: hourOf(this.#options.now()), account, key, count });
    if (this.#timer !== undefined) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.#unclaimed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#timer = undefined;
        void this.flush().then(resolve);
      }, this.#options.flushMs);
    });
    this.#timer = timer;
    // Node: a pending batch must not keep a finished process alive (close() sends it).
    (timer as { unref?: () => void } | undefined)?.unref?.();
  }

  /** The batch timer started since the last claim, once: for the caller's `ctx.waitUntil`. */
  claim(): Promise<void> | undefined {
    const batch = this.#unclaimed;
    this.#unclaimed = undefined;
    return batch;
  }

  /** Sends what is pending now, without waiting for the timer (which later finds nothing). Never rejects. */
  flush(): Promise<void> {
    const rows = this.#pending.drain();
    const sending = this.#send(rows);
    this.#inFlight.add(sending);
    void sending.finally(() => this.#inFlight.delete(sending));
    return sending;
  }

  /** Node and tests: sends what is pending and waits for every batch still on its way. */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all([...this.#inFlight]);
  }

  async #send(rows: UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.#options.store.add(rows, keepFrom(this.#options.now()));
    } catch (error) {
      this.#options.onLostBatch(rows.length, error);
    }
  }
}
