import { nextStep, type NextStep } from '@cloudagent-phone/core';
import type { CallResult, OperationInput, PhoneClient } from '@cloudagent-phone/transport';
import type { Journal } from './journal.js';
import { mayHaveApplied, type RowState } from './row-states.js';

/** One row to run: its number and fingerprint in the journal, the operation, what the journal knew. */
export interface RowToRun {
  row: number;
  hash: number;
  input: Exclude<OperationInput, { action: 'get' }>;
  /** The row's state in the journal before this run (ROW_STATE.none for a new row). */
  previous: RowState;
  /** Called when the row's "sending" is journalled, just before its request leaves (to count it). */
  onSend?: () => void;
}

/** How a row ended, for the caller to report. */
export type RowRun =
  /** An earlier run's request was read back and found applied: nothing was sent now. */
  | { via: 'settled'; applied: true; skillsUnverified: boolean; readBack: string }
  /** An earlier run's request may have applied and reading back cannot tell: never sent again. */
  | { via: 'settled'; applied: false; readBack: string }
  /** Sent now (once); `step` is core's next step for its outcome. */
  | { via: 'sent'; result: CallResult; step: NextStep; maybeApplied: boolean; readBack: string };

/**
 * Runs one row exactly once across runs: a row an earlier run may have sent (journal "sending" or
 * ambiguous) is settled by reading back, never by sending; only a read-back that proves it did not
 * apply lets it be sent. Otherwise "sending" goes to the journal before the request leaves, and the
 * outcome after the answer. An error thrown here leaves the row "sending": a resume reads it back.
 */
export async function runRow(client: PhoneClient, journal: Journal, row: RowToRun): Promise<RowRun> {
  const { input, hash } = row;
  let readBack = '';
  if (mayHaveApplied(row.previous)) {
    const settled = await client.settle(input);
    const judgement = settled.readBack;
    readBack = judgement?.verdict ?? 'unknown';
    if (settled.outcome.kind === 'success') {
      journal.done(row.row, hash, 'success', false, 'applied');
      return { via: 'settled', applied: true, skillsUnverified: Boolean(judgement?.skillsUnverified), readBack };
    }
    if (nextStep(settled.outcome, input.action).step !== 'resend_safe') {
      journal.done(row.row, hash, 'unknown', true);
      return { via: 'settled', applied: false, readBack };
    }
  }
  await journal.sending(row.row, hash);
  row.onSend?.();
  const result = await client.run(input);
  const step = nextStep(result.outcome, input.action);
  const maybeApplied = step.step === 'look_up_first';
  const verdict = result.readBack?.verdict;
  journal.done(row.row, hash, result.outcome.kind, maybeApplied, verdict === 'applied' || verdict === 'not_applied' ? verdict : undefined);
  return { via: 'sent', result, step, maybeApplied, readBack: verdict ?? readBack };
}
