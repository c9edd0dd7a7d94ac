import type { PhoneRecord } from './options.js';

export type MutationAction = 'create' | 'edit' | 'delete';

/** One mutation the simulator applied, with the identity of the request that caused it. */
export interface AppliedMutation {
  /** The `id` of the call in `control.calls()` that applied it. */
  callId: number;
  /** The caller's `x-request-id` or `idempotency-key` header, when it sent one. */
  requestId?: string;
  version: 'v1' | 'v2';
  action: MutationAction;
  at: number;
  before?: PhoneRecord;
  after?: PhoneRecord;
}

/**
 * How many times one action was applied to one number since the last reset. The number is the one
 * the request addressed: the new record's for a create, the existing record's for an edit (even one
 * that changes the number) and a delete.
 */
export interface AppliedCount {
  action: MutationAction;
  phoneNumber: string;
  count: number;
}

/** The counts in brief: what `/__simulator/state` shows, small however long the run. */
export interface AppliedSummary {
  /** Every mutation applied since the last reset. */
  total: number;
  byAction: Record<MutationAction, number>;
  /** The (action, number) pairs applied more than once: empty when nothing was applied twice. */
  repeated: AppliedCount[];
  /** How many full entries `applied()` keeps at most (the `appliedLogLimit` option). */
  windowLimit: number;
  /** Applied mutations older than the window: counted, no longer kept in full. */
  droppedFromWindow: number;
}

/** What a state file keeps of the log. */
export interface AppliedLogSnapshot {
  applied: AppliedMutation[];
  appliedCounts?: AppliedCount[];
}

const ACTIONS: readonly MutationAction[] = ['create', 'edit', 'delete'];

function copyRecord(r: PhoneRecord): PhoneRecord {
  return { phoneNumber: r.phoneNumber, phoneName: r.phoneName, skills: [...r.skills] };
}

function copyMutation(m: AppliedMutation): AppliedMutation {
  return { ...m, ...(m.before ? { before: copyRecord(m.before) } : {}), ...(m.after ? { after: copyRecord(m.after) } : {}) };
}

function targetOf(m: Pick<AppliedMutation, 'action' | 'before' | 'after'>): string {
  return (m.action === 'create' ? m.after?.phoneNumber : m.before?.phoneNumber) ?? '';
}

/**
 * Applied mutations: complete counts per (action, number), which grow with the numbers touched and
 * never with the length of the run, and the most recent `limit` mutations in full. A long run (a
 * bulk edit of hundreds of thousands of rows, a soak test) stays fast to inspect, and "nothing was
 * applied twice" is still asserted from counts that forget nothing.
 */
export class AppliedLog {
  /** Oldest first; trimmed to `limit` in batches, so a push stays O(1) amortised. */
  #window: AppliedMutation[] = [];
  #counts = new Map<MutationAction, Map<string, number>>();
  #total = 0;

  constructor(readonly limit: number) {}

  record(mutation: AppliedMutation): void {
    const byNumber = this.#countsOf(mutation.action);
    const number = targetOf(mutation);
    byNumber.set(number, (byNumber.get(number) ?? 0) + 1);
    this.#total++;
    if (this.limit === 0) return;
    this.#window.push(copyMutation(mutation));
    if (this.#window.length >= this.limit + Math.max(1, this.limit >> 2)) this.#window.splice(0, this.#window.length - this.limit);
  }

  /** The most recent mutations in full, oldest first (at most `limit`). */
  recent(): AppliedMutation[] {
    const start = Math.max(0, this.#window.length - this.limit);
    return this.#window.slice(start).map(copyMutation);
  }

  get total(): number {
    return this.#total;
  }

  /** How many times `action` was applied to `phoneNumber` since the last reset (complete, whatever the window). */
  timesApplied(action: MutationAction, phoneNumber: string): number {
    return this.#counts.get(action)?.get(phoneNumber) ?? 0;
  }

  /** Every (action, number) applied since the last reset, with its count: create, edit, delete, then first applied first. */
  counts(): AppliedCount[] {
    const out: AppliedCount[] = [];
    for (const action of ACTIONS) for (const [phoneNumber, count] of this.#counts.get(action) ?? []) out.push({ action, phoneNumber, count });
    return out;
  }

  summary(): AppliedSummary {
    const byAction = { create: 0, edit: 0, delete: 0 };
    const repeated: AppliedCount[] = [];
    for (const { action, phoneNumber, count } of this.counts()) {
      byAction[action] += count;
      if (count > 1) repeated.push({ action, phoneNumber, count });
    }
    return { total: this.#total, byAction, repeated, windowLimit: this.limit, droppedFromWindow: this.#total - Math.min(this.#window.length, this.limit) };
  }

  clear(): void {
    this.#window = [];
    this.#counts = new Map();
    this.#total = 0;
  }

  snapshot(): AppliedLogSnapshot {
    return { applied: this.recent(), appliedCounts: this.counts() };
  }

  /** A state file from before the counts were kept holds the whole log: the counts are rebuilt from it. */
  restore(snapshot: AppliedLogSnapshot): void {
    this.clear();
    if (snapshot.appliedCounts) {
      for (const { action, phoneNumber, count } of snapshot.appliedCounts) {
        this.#countsOf(action).set(phoneNumber, count);
        this.#total += count;
      }
      this.#window = this.limit === 0 ? [] : snapshot.applied.slice(-this.limit).map(copyMutation);
    } else {
      for (const m of snapshot.applied) this.record(m);
    }
  }

  #countsOf(action: MutationAction): Map<string, number> {
    let byNumber = this.#counts.get(action);
    if (!byNumber) this.#counts.set(action, (byNumber = new Map()));
    return byNumber;
  }
}

/** Checks a loaded state file's counts, so a hand-edited file fails loudly at start. */
export function isAppliedCounts(x: unknown): x is AppliedCount[] {
  return (
    Array.isArray(x) &&
    x.every(
      (c: Partial<AppliedCount> | null) =>
        typeof c === 'object' && c !== null && ACTIONS.includes(c.action as MutationAction) && typeof c.phoneNumber === 'string' && Number.isSafeInteger(c.count) && (c.count as number) > 0,
    )
  );
}
