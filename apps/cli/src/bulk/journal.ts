import { closeSync, createReadStream, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { OutcomeKind } from '@cloudagent-phone/core';
import { usageError } from '../cli-error.js';

/**
 * What the journal knows about a row, as one byte per row.
 *
 * - `sending`: the request was about to leave when the run stopped: it may or may not have landed.
 * - `ambiguous`: it left, and the answer could not tell whether it applied (nor could a read-back).
 * - `applied` / `appliedPartly`: CloudAgent applied it (partly: the number changed, skills did not).
 * - `notApplied`: it provably did not apply (a rejection, a transient failure before it applied).
 */
export const ROW_STATE = { none: 0, sending: 1, ambiguous: 2, applied: 3, appliedPartly: 4, notApplied: 5 } as const;
export type RowState = (typeof ROW_STATE)[keyof typeof ROW_STATE];

const HEADER_KIND = 'caphone-bulk-edit-journal';

interface Entry {
  /** Row number (1 = first data row). */
  r: number;
  /** Row fingerprint (rowHash). */
  h: number;
  /** `sending`, or `done` with the outcome. */
  s: 'sending' | 'done';
  /** Outcome kind. */
  k?: OutcomeKind;
  /** Ambiguous: may or may not have applied. */
  a?: 1;
  /** Settled by reading back (verdict applied / not applied). */
  rb?: 'applied' | 'not_applied';
}

/** `ambiguous`: the row's exit code is 8 (it may have applied), whether or not core flagged it. */
export function stateOf(kind: OutcomeKind, ambiguous: boolean): RowState {
  if (ambiguous) return ROW_STATE.ambiguous;
  if (kind === 'success') return ROW_STATE.applied;
  if (kind === 'partial_success') return ROW_STATE.appliedPartly;
  return ROW_STATE.notApplied;
}

/**
 * Row states and fingerprints, indexed by row number in typed arrays: five bytes a row, so resuming
 * a million-row file costs about 5 MB, not a Map of a million objects.
 */
export class RowStates {
  private states = new Uint8Array(1024);
  private hashes = new Uint32Array(1024);
  size = 0;

  private grow(row: number): void {
    if (row < this.states.length) return;
    let length = this.states.length;
    while (length <= row) length *= 2;
    const states = new Uint8Array(length);
    states.set(this.states);
    const hashes = new Uint32Array(length);
    hashes.set(this.hashes);
    this.states = states;
    this.hashes = hashes;
  }

  set(row: number, state: RowState, hash: number): void {
    this.grow(row);
    if (this.states[row] === ROW_STATE.none) this.size += 1;
    this.states[row] = state;
    this.hashes[row] = hash;
  }

  state(row: number): RowState {
    return (row < this.states.length ? this.states[row] : ROW_STATE.none) as RowState;
  }

  hash(row: number): number {
    return row < this.hashes.length ? (this.hashes[row] ?? 0) : 0;
  }
}

/**
 * An append-only JSON-lines file beside the input. Each line is written with a synchronous
 * `write(2)` before the program moves on, so when the process dies (SIGKILL, a crash, a closed
 * laptop lid) every line it wrote is in the file: "sending" is on disk before the request leaves,
 * and the outcome is on disk before the row is counted. No key, token or row content is written,
 * only row numbers, fingerprints and outcome kinds.
 */
export class Journal {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    readonly rows: RowStates,
    readonly resumed: boolean,
  ) {}

  static async open(path: string): Promise<Journal> {
    // An empty file is a run that died before writing anything: nothing was sent, start afresh.
    const resumed = existsSync(path) && statSync(path).size > 0;
    const rows = resumed ? await readJournal(path) : new RowStates();
    const journal = new Journal(path, rows, resumed);
    journal.fd = openSync(path, 'a', 0o600);
    if (!resumed) journal.append({ kind: HEADER_KIND, v: 1, started: new Date().toISOString() });
    return journal;
  }

  /** The states a journal records, without opening it for writing (for --dry-run). */
  static async peek(path: string): Promise<RowStates> {
    return existsSync(path) && statSync(path).size > 0 ? readJournal(path) : new RowStates();
  }

  private append(value: unknown): void {
    if (this.fd === undefined) throw new Error('journal is closed');
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }

  sending(row: number, hash: number): void {
    this.append({ r: row, h: hash, s: 'sending' } satisfies Entry);
    this.rows.set(row, ROW_STATE.sending, hash);
  }

  done(row: number, hash: number, kind: OutcomeKind, ambiguous: boolean, readBack?: 'applied' | 'not_applied'): RowState {
    const entry: Entry = { r: row, h: hash, s: 'done', k: kind };
    if (ambiguous) entry.a = 1;
    if (readBack) entry.rb = readBack;
    this.append(entry);
    const state = stateOf(kind, ambiguous);
    this.rows.set(row, state, hash);
    return state;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Streams the journal: the last line about a row wins. A torn last line (a crash mid-write) is ignored. */
async function readJournal(path: string): Promise<RowStates> {
  const rows = new RowStates();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (first) {
      first = false;
      if ((value as { kind?: string }).kind !== HEADER_KIND) {
        throw usageError(`${path} exists but is not a caphone bulk-edit journal`, 'move it away, or pass --journal with another path');
      }
      continue;
    }
    const entry = value as Entry;
    if (typeof entry.r !== 'number' || !Number.isInteger(entry.r) || entry.r < 1 || typeof entry.h !== 'number') continue;
    if (entry.s === 'sending') rows.set(entry.r, ROW_STATE.sending, entry.h);
    else if (entry.s === 'done' && typeof entry.k === 'string') rows.set(entry.r, stateOf(entry.k, entry.a === 1), entry.h);
  }
  if (first) throw usageError(`${path} is empty or torn: it is not a caphone journal`, 'move it away, or pass --journal with another path');
  return rows;
}
