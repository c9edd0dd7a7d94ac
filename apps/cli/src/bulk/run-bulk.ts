import { judgeReadBack, readBackLookups, type Outcome, type OutcomeKind, type PhoneOperation } from '@cloudagent-phone/core';
import type { ShownRequest } from '../request-log.js';
import type { CallResult, EditInput, PhoneClient } from '@cloudagent-phone/transport';
import { CliError } from '../cli-error.js';
import { EXIT, exitCodeFor, worstExitCode, type ExitCode } from '../exit-codes.js';
import { columnNamer } from '../flag-names.js';
import type { Output } from '../output.js';
import { readCsvRows, type CsvRow } from './csv-rows.js';
import { ROW_STATE, type Journal, type RowState, type RowStates } from './journal.js';
import type { Counts, Progress } from './progress.js';
import { Slots } from './rate-limit.js';
import type { ReportRow, ReportWriter } from './report.js';
import { rowHash, rowOperation } from './row-operation.js';

export interface BulkRunOptions {
  input: string;
  concurrency: number;
  out: Output;
  report: ReportWriter;
  progress: Progress;
  counts: Counts;
  /** Aborts when the person asks to stop: no new row is started, rows in flight finish. */
  stop: AbortSignal;
  /** Absent with --dry-run. */
  journal?: Journal;
  /** --dry-run: what an existing journal says, so the dry run reports rows a real run would skip. */
  knownRows?: RowStates;
  client?: PhoneClient;
  /** Reads rows back (v2 get); the same as `client` unless the run sends v1, which has no get. */
  readBackClient?: PhoneClient;
  /** --dry-run: how the first valid row's request would look. */
  encode?: (op: PhoneOperation) => ShownRequest;
}

export interface BulkSummary {
  exitCode: ExitCode;
  outcome: OutcomeKind;
  message: string;
  /** Why the run stopped before the end of the file, if it did. */
  stopped: 'interrupted' | 'auth_error' | 'csv_error' | 'internal_error' | null;
  exampleRequest: ShownRequest | null;
}

function baseRow(row: CsvRow): Pick<ReportRow, 'row' | 'line' | 'phoneNumber' | 'phoneName' | 'phoneNumberNew' | 'phoneNameNew'> {
  return {
    row: row.row,
    line: row.line,
    phoneNumber: row.cells.phoneNumber ?? '',
    phoneName: row.cells.phoneName ?? '',
    phoneNumberNew: row.cells.phoneNumberNew ?? '',
    phoneNameNew: row.cells.phoneNameNew ?? '',
  };
}

function editInput(op: PhoneOperation): EditInput {
  return {
    phoneNumber: op.phoneNumber ?? '',
    phoneName: op.phoneName ?? '',
    ...(op.phoneNumberNew !== undefined ? { phoneNumberNew: op.phoneNumberNew } : {}),
    ...(op.phoneNameNew !== undefined ? { phoneNameNew: op.phoneNameNew } : {}),
    ...(op.assignSkill ? { assignSkill: op.assignSkill } : {}),
    ...(op.unAssignSkill ? { unAssignSkill: op.unAssignSkill } : {}),
  };
}

/**
 * Before resuming, every row the journal knows must still hold what it held when it was sent:
 * otherwise "row 12 was applied" would be believed of different data. Checked in a first pass over
 * the file, so a mismatch stops the run before anything is sent.
 */
export async function checkJournalMatches(input: string, journal: Journal): Promise<void> {
  if (journal.rows.size === 0) return;
  for await (const row of readCsvRows(input)) {
    const state = journal.rows.state(row.row);
    if (state !== ROW_STATE.none && journal.rows.hash(row.row) !== rowHash(row)) {
      throw new CliError(`row ${row.row} (line ${row.line}) of ${input} changed since ${journal.path} recorded it`, {
        exitCode: EXIT.invalidInput,
        hint: 'restore the row as it was (edit only rows the journal has not seen; do not insert or remove rows), or start a new file and journal for the changed rows',
      });
    }
  }
}

/**
 * Streams the file and sends each valid row, `concurrency` at a time, journalling each one before
 * and after. Resuming: applied rows are skipped; a row that was in flight or ambiguous is read back
 * first and sent again only if the read-back proves it did not apply.
 */
export async function runBulk(options: BulkRunOptions): Promise<BulkSummary> {
  const { out, report, progress, counts, journal, client } = options;
  const slots = new Slots(options.concurrency);
  const inflight = new Set<Promise<void>>();
  const codes = new Map<ExitCode, OutcomeKind>();
  let stopped: BulkSummary['stopped'] = null;
  let stopMessage = '';
  let exampleRequest: ShownRequest | null = null;

  const note = (code: ExitCode, kind: OutcomeKind) => {
    if (!codes.has(code)) codes.set(code, kind);
  };
  const stopRun = (why: NonNullable<BulkSummary['stopped']>, message: string) => {
    if (stopped) return;
    stopped = why;
    stopMessage = message;
  };
  options.stop.addEventListener('abort', () => stopRun('interrupted', 'interrupted'), { once: true });

  const record = async (row: CsvRow, fields: Omit<ReportRow, keyof ReturnType<typeof baseRow>>) => {
    await report.write({ ...baseRow(row), ...fields });
  };

  const countOutcome = (state: RowState) => {
    if (state === ROW_STATE.applied) counts.applied += 1;
    else if (state === ROW_STATE.appliedPartly) counts.partial += 1;
    else if (state === ROW_STATE.ambiguous) counts.ambiguous += 1;
    else counts.failed += 1;
  };

  /** Reads back a row an earlier run may have applied. */
  const settle = async (op: PhoneOperation) => {
    const lookups = readBackLookups(op);
    const reader = options.readBackClient ?? client;
    if (lookups.length === 0 || !reader) return judgeReadBack(op, []);
    const outcomes: Outcome[] = [];
    for (const lookup of lookups) {
      const found = await reader.getPhoneNumber({ ...(lookup.phoneNumber !== undefined ? { phoneNumber: lookup.phoneNumber } : {}) });
      outcomes.push(found.outcome);
    }
    return judgeReadBack(op, outcomes);
  };

  const processRow = async (row: CsvRow, op: PhoneOperation, hash: number, previous: RowState) => {
    if (!client || !journal) throw new Error('runBulk: a client and a journal are needed to send');
    let readBack = '';
    if (previous === ROW_STATE.sending || previous === ROW_STATE.ambiguous) {
      const judgement = await settle(op);
      readBack = judgement.verdict;
      if (judgement.verdict === 'applied') {
        countOutcome(journal.done(row.row, hash, 'success', false, 'applied'));
        note(EXIT.success, 'success');
        const skills = judgement.skillsUnverified ? ' (skills cannot be verified by reading back)' : '';
        await record(row, { outcome: 'success', exitCode: EXIT.success, message: `applied by an earlier run, confirmed by reading it back${skills}`, column: '', attempts: 0, readBack });
        return;
      }
      if (judgement.verdict === 'unknown') {
        countOutcome(journal.done(row.row, hash, 'unknown', true));
        note(EXIT.outcomeUnknown, 'unknown');
        await record(row, {
          outcome: 'unknown',
          exitCode: EXIT.outcomeUnknown,
          message: 'an earlier run may have applied this row and reading back cannot tell: check it by hand; it will not be sent again from this file',
          column: '',
          attempts: 0,
          readBack,
        });
        return;
      }
    }
    journal.sending(row.row, hash);
    counts.sent += 1;
    const result: CallResult = await client.editPhoneNumber(editInput(op));
    const { outcome } = result;
    const verdict = result.readBack?.verdict;
    const code = result.issues?.length ? EXIT.invalidInput : exitCodeFor(outcome, 'edit');
    const maybeApplied = code === EXIT.outcomeUnknown;
    const state = journal.done(row.row, hash, outcome.kind, maybeApplied, verdict === 'applied' || verdict === 'not_applied' ? verdict : undefined);
    countOutcome(state);
    note(code, outcome.kind);
    if (outcome.kind === 'auth_error') stopRun('auth_error', 'CloudAgent rejected the credentials; no further row was sent');
    await record(row, {
      outcome: outcome.kind,
      exitCode: code,
      message: outcome.message,
      column: outcome.field ? columnNamer(outcome.field) : '',
      attempts: result.attempts,
      readBack: verdict ?? readBack,
    });
  };

  progress.start();
  try {
    for await (const row of readCsvRows(options.input)) {
      counts.rows += 1;
      progress.bytes = row.bytes;
      const notSent = async () => {
        counts.notSent += 1;
        note(EXIT.transient, 'server_error');
        await record(row, { outcome: 'not_sent', exitCode: EXIT.transient, message: `not sent: the run stopped (${stopMessage}); run the same command again to resume`, column: '', attempts: 0, readBack: '' });
      };
      if (stopped) {
        await notSent();
        continue;
      }
      const check = rowOperation(row);
      if (!check.ok) {
        counts.invalid += 1;
        note(EXIT.invalidInput, 'validation_error');
        await record(row, {
          outcome: 'invalid',
          exitCode: EXIT.invalidInput,
          message: `not sent: ${check.issues.map((i) => i.message).join('; ')}`,
          column: check.issues.map((i) => i.flag).join(' '),
          attempts: 0,
          readBack: '',
        });
        continue;
      }
      const hash = rowHash(row);
      const previous = (journal?.rows ?? options.knownRows)?.state(row.row) ?? ROW_STATE.none;
      if (previous === ROW_STATE.applied || previous === ROW_STATE.appliedPartly) {
        counts.skipped += 1;
        const partly = previous === ROW_STATE.appliedPartly ? ' (partly: skills were not applied)' : '';
        await record(row, { outcome: 'already_applied', exitCode: EXIT.success, message: `applied by an earlier run${partly}; not sent again`, column: '', attempts: 0, readBack: '' });
        continue;
      }
      if (options.encode) {
        exampleRequest ??= out.redact(options.encode(check.op));
        await record(row, { outcome: 'dry_run', exitCode: EXIT.success, message: 'valid; not sent (dry run)', column: '', attempts: 0, readBack: '' });
        continue;
      }
      await slots.acquire();
      if (stopped) {
        slots.release();
        await notSent();
        continue;
      }
      const task: Promise<void> = processRow(row, check.op, hash, previous)
        .catch(async (error: unknown) => {
          // The journal still says "sending" for this row: a resume reads it back before anything else.
          stopRun('internal_error', `internal error: ${(error as Error).message}`);
          note(EXIT.internal, 'unknown');
          out.detail((error as Error).stack ?? String(error));
          await record(row, { outcome: 'error', exitCode: EXIT.internal, message: out.redact(`internal error: ${(error as Error).message}`), column: '', attempts: 0, readBack: '' });
        })
        .finally(() => {
          inflight.delete(task);
          slots.release();
        });
      inflight.add(task);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    // csv-parse's errors name the line ("Invalid Closing Quote: ... at line 12").
    stopRun('csv_error', `the CSV could not be read further: ${(error as Error).message}`);
    note(EXIT.invalidInput, 'validation_error');
  } finally {
    await Promise.all(inflight);
    progress.stop();
  }

  const exitCode = worstExitCode(codes.keys());
  const outcome = codes.get(exitCode) ?? 'success';
  const c = counts;
  const summary = `${c.rows} rows: ${c.applied} applied, ${c.partial} partly applied (skills not), ${c.failed} failed, ${c.invalid} invalid (not sent), ${c.skipped} already applied earlier, ${c.ambiguous} outcome unknown${c.notSent ? `, ${c.notSent} not sent yet` : ''}`;
  const message = stopped ? `${stopMessage}. ${summary}` : summary;
  return { exitCode, outcome, message, stopped, exampleRequest };
}
