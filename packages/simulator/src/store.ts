import { AppliedLog, isAppliedCounts, type AppliedCount, type AppliedMutation, type AppliedSummary, type MutationAction } from './applied-log.js';
import { DEFAULT_APPLIED_LOG_LIMIT, type PhoneRecord, type SeedRecord } from './options.js';

export type { AppliedCount, AppliedMutation, AppliedSummary, MutationAction } from './applied-log.js';

export interface TokenState {
  /** The one live token: a new one voids every earlier one. */
  current?: { token: string; expiresAt: number };
  /** When each token of the last hour was generated: the 10-per-hour cap counts these. */
  generatedAt: number[];
}

/** What a state file holds: enough to carry the account across a restart. */
export interface StateSnapshot {
  version: 1;
  records: PhoneRecord[];
  tokens: TokenState;
  /** The most recent applied mutations in full (the window). */
  applied: AppliedMutation[];
  /** Complete counts per (action, number). Absent in files written before they were kept: rebuilt from `applied`. */
  appliedCounts?: AppliedCount[];
}

const key = (name: string) => name.trim().toLowerCase();

function copy(r: PhoneRecord): PhoneRecord {
  return { phoneNumber: r.phoneNumber, phoneName: r.phoneName, skills: [...r.skills] };
}

/**
 * The account's records, token state and the log of applied mutations. Numbers are matched exactly
 * as sent (a leading + is significant); names case-insensitively, ignoring surrounding spaces.
 */
export class SimulatorState {
  #records = new Map<string, PhoneRecord>();
  /** Folded name -> number, so a name lookup stays O(1) for bulk runs over many thousand records. */
  #numberByName = new Map<string, string>();
  #sharedNames = false;
  tokens: TokenState = { generatedAt: [] };
  #applied: AppliedLog;
  /** Called after anything that a state file must keep (the Node entry persists here). */
  onChange: (() => void) | undefined;

  constructor(seed: readonly SeedRecord[] = [], appliedLogLimit = DEFAULT_APPLIED_LOG_LIMIT) {
    this.#applied = new AppliedLog(appliedLogLimit);
    this.reset(seed);
  }

  reset(seed: readonly SeedRecord[]): void {
    this.#setRecords(seed.map((r) => ({ phoneNumber: r.phoneNumber, phoneName: r.phoneName, skills: [...(r.skills ?? [])] })));
    this.tokens = { generatedAt: [] };
    this.#applied.clear();
    this.onChange?.();
  }

  get size(): number {
    return this.#records.size;
  }

  records(): PhoneRecord[] {
    return [...this.#records.values()].map(copy);
  }

  byNumber(phoneNumber: string): PhoneRecord | undefined {
    const r = this.#records.get(phoneNumber);
    return r && copy(r);
  }

  byName(phoneName: string): PhoneRecord | undefined {
    const number = this.#numberByName.get(key(phoneName));
    return number === undefined ? undefined : this.byNumber(number);
  }

  #setRecords(records: readonly PhoneRecord[]): void {
    this.#records = new Map();
    this.#numberByName = new Map();
    this.#sharedNames = false;
    for (const r of records) this.#put(r);
  }

  #put(r: PhoneRecord): void {
    this.#records.set(r.phoneNumber, copy(r));
    if (this.#numberByName.has(key(r.phoneName))) this.#sharedNames = true;
    else this.#numberByName.set(key(r.phoneName), r.phoneNumber);
  }

  #remove(r: PhoneRecord): void {
    this.#records.delete(r.phoneNumber);
    const name = key(r.phoneName);
    if (this.#numberByName.get(name) !== r.phoneNumber) return;
    this.#numberByName.delete(name);
    // Only seeds or a state file can hold two records with one name (the API refuses it); then
    // the next one with that name takes over the index entry.
    if (this.#sharedNames) {
      for (const other of this.#records.values()) {
        if (key(other.phoneName) === name) {
          this.#numberByName.set(name, other.phoneNumber);
          break;
        }
      }
    }
  }

  /** The most recent applied mutations in full, oldest first (at most `appliedLogLimit`). */
  applied(): AppliedMutation[] {
    return this.#applied.recent();
  }

  /** Every mutation applied since the last reset, however many the window has dropped. */
  get appliedCount(): number {
    return this.#applied.total;
  }

  /** How many times `action` was applied to `phoneNumber` since the last reset. */
  timesApplied(action: MutationAction, phoneNumber: string): number {
    return this.#applied.timesApplied(action, phoneNumber);
  }

  appliedCounts(): AppliedCount[] {
    return this.#applied.counts();
  }

  appliedSummary(): AppliedSummary {
    return this.#applied.summary();
  }

  /** Replaces `before` (by number) with `after`; either may be absent (create, delete). */
  apply(mutation: Omit<AppliedMutation, 'before' | 'after'>, before: PhoneRecord | undefined, after: PhoneRecord | undefined): void {
    if (before) this.#remove(before);
    if (after) this.#put(after);
    this.#applied.record({ ...mutation, ...(before ? { before } : {}), ...(after ? { after } : {}) });
    this.onChange?.();
  }

  tokensChanged(): void {
    this.onChange?.();
  }

  snapshot(): StateSnapshot {
    return { version: 1, records: this.records(), tokens: structuredClone(this.tokens), ...this.#applied.snapshot() };
  }

  restore(snapshot: StateSnapshot): void {
    this.#setRecords(snapshot.records);
    this.tokens = structuredClone(snapshot.tokens);
    this.#applied.restore(snapshot);
  }
}

/** Checks the shape of a loaded state file, so a hand-edited or foreign file fails loudly at start. */
export function isStateSnapshot(x: unknown): x is StateSnapshot {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<StateSnapshot>;
  return (
    s.version === 1 &&
    Array.isArray(s.records) &&
    s.records.every((r) => typeof r?.phoneNumber === 'string' && typeof r.phoneName === 'string' && Array.isArray(r.skills)) &&
    typeof s.tokens === 'object' && s.tokens !== null && Array.isArray(s.tokens.generatedAt) &&
    Array.isArray(s.applied) &&
    (s.appliedCounts === undefined || isAppliedCounts(s.appliedCounts))
  );
}
