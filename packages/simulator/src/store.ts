import type { PhoneRecord, SeedRecord } from './options.js';

/** One mutation the simulator applied, with the identity of the request that caused it. */
export interface AppliedMutation {
  /** The `id` of the call in `control.calls()` that applied it. */
  callId: number;
  /** The caller's `x-request-id` or `idempotency-key` header, when it sent one. */
  requestId?: string;
  version: 'v1' | 'v2';
  action: 'create' | 'edit' | 'delete';
  at: number;
  before?: PhoneRecord;
  after?: PhoneRecord;
}

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
  applied: AppliedMutation[];
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
  #applied: AppliedMutation[] = [];
  /** Called after anything that a state file must keep (the Node entry persists here). */
  onChange: (() => void) | undefined;

  constructor(seed: readonly SeedRecord[] = []) {
    this.reset(seed);
  }

  reset(seed: readonly SeedRecord[]): void {
    this.#setRecords(seed.map((r) => ({ phoneNumber: r.phoneNumber, phoneName: r.phoneName, skills: [...(r.skills ?? [])] })));
    this.tokens = { generatedAt: [] };
    this.#applied = [];
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

  applied(): AppliedMutation[] {
    return this.#applied.map((m) => ({ ...m, ...(m.before ? { before: copy(m.before) } : {}), ...(m.after ? { after: copy(m.after) } : {}) }));
  }

  get appliedCount(): number {
    return this.#applied.length;
  }

  /** Replaces `before` (by number) with `after`; either may be absent (create, delete). */
  apply(mutation: Omit<AppliedMutation, 'before' | 'after'>, before: PhoneRecord | undefined, after: PhoneRecord | undefined): void {
    if (before) this.#remove(before);
    if (after) this.#put(after);
    this.#applied.push({ ...mutation, ...(before ? { before: copy(before) } : {}), ...(after ? { after: copy(after) } : {}) });
    this.onChange?.();
  }

  tokensChanged(): void {
    this.onChange?.();
  }

  snapshot(): StateSnapshot {
    return { version: 1, records: this.records(), tokens: structuredClone(this.tokens), applied: this.applied() };
  }

  restore(snapshot: StateSnapshot): void {
    this.#setRecords(snapshot.records);
    this.tokens = structuredClone(snapshot.tokens);
    this.#applied = [...snapshot.applied];
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
    Array.isArray(s.applied)
  );
}
