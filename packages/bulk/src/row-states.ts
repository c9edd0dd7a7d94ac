import type { OutcomeKind } from '@cloudagent-phone/core';

/**
 * What the journal knows about a row, as one byte per row.
 *
 * - `sending`: the request was about to leave when the run stopped: it may or may not have landed.
 * - `ambiguous`: it left, and the answer could not tell whether it applied (nor could a read-back).
 * - `applied` / `appliedPartly`: CloudAgent applied it (partly: the number changed, skills did not).
 * - `notApplied`: it provably did not apply (a rejection, a transient failure before it applied).
 * - `none` also for a row CloudAgent answered 429: refused before anything, it is sent again.
 */
export const ROW_STATE = { none: 0, sending: 1, ambiguous: 2, applied: 3, appliedPartly: 4, notApplied: 5 } as const;
export type RowState = (typeof ROW_STATE)[keyof typeof ROW_STATE];

/** `ambiguous`: the row may have applied (exit code 8 in the CLI), whether or not core flagged it. */
export function stateOf(kind: OutcomeKind, ambiguous: boolean): RowState {
  if (ambiguous) return ROW_STATE.ambiguous;
  if (kind === 'success') return ROW_STATE.applied;
  if (kind === 'partial_success') return ROW_STATE.appliedPartly;
  // CloudAgent refused it before doing anything and it is to be sent again after the pause (a
  // job's rows wait out a 429): as if never sent, so a resume sends it rather than skipping it.
  if (kind === 'rate_limited') return ROW_STATE.none;
  return ROW_STATE.notApplied;
}

/** A row in this state must not be sent again: an earlier run applied it. */
export function isApplied(state: RowState): boolean {
  return state === ROW_STATE.applied || state === ROW_STATE.appliedPartly;
}

/** A row in this state may have reached CloudAgent: it is read back (settled) before anything else. */
export function mayHaveApplied(state: RowState): boolean {
  return state === ROW_STATE.sending || state === ROW_STATE.ambiguous;
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
