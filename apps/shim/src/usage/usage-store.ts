import { UsageTally, type UsageRow } from './usage-row.js';

/**
 * Where the shim's counts live beyond one process or isolate. One interface, one contract suite
 * (test/usage-store-contract.ts): the in-memory store, the Node file store and the Durable Object
 * aggregator on Workers all pass it.
 *
 * Retention is the caller's policy, passed as `keepFrom` (the oldest hour kept): stores drop what is
 * older, so a store never needs a clock of its own (and tests can move time).
 */
export interface UsageStore {
  /** Adds a batch to the totals (summed with what every other writer added). */
  add(rows: readonly UsageRow[], keepFrom: number): Promise<void>;
  /** Every count from `keepFrom` on, summed across writers, one row per (hour, account, key). */
  read(keepFrom: number): Promise<UsageRow[]>;
}

/**
 * Counts in this process only (lost on restart). The default of `createShim`, for tests and for a
 * library user who does not need durable counts; the Node server uses the file store, the Worker
 * the Durable Object.
 */
export class MemoryUsageStore implements UsageStore {
  readonly #tally = new UsageTally();

  add(rows: readonly UsageRow[], keepFrom: number): Promise<void> {
    this.#tally.addAll(rows);
    this.#tally.prune(keepFrom);
    return Promise.resolve();
  }

  read(keepFrom: number): Promise<UsageRow[]> {
    this.#tally.prune(keepFrom);
    return Promise.resolve(this.#tally.rows(keepFrom));
  }
}
