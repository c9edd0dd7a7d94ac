import { InOrderWriter, ROW_STATE, RowPool, isApplied, runRow, type Journal, type RowState, type RowStates, type RowToRun } from '@cloudagent-phone/bulk';
import { fieldOf, type OutcomeKind, type PhoneOperation, type PlainRequest } from '@cloudagent-phone/core';
import type { OperationInput, PhoneClient } from '@cloudagent-phone/transport';
import { CliError, usageError } from '../cli-error.js';
import { EXIT, exitCodeForStep, worstExitCode, type ExitCode } from '../exit-codes.js';
import { columnNamer } from '../flag-names.js';
import type { Output } from '../output.js';
import { readCsvBatches, readCsvRows, type CsvRow } from './csv-rows.js';
import { summaryOf, type Counts, type Progress } from './progress.js';
import type { ReportRow, ReportWriter } from './report.js';
import { rowFingerprintFor, rowOperation, type RowFingerprint } from './row-operation.js';

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
  /** How the journal fingerprints rows (see openJournal). */
  fingerprint?: RowFingerprint;
  /** --dry-run: what an existing journal says, so the dry run reports rows a real run would skip. */
  knownRows?: RowStates;
  /** Sends rows, reads them back (v2 get, a v1 run too) and, for --dry-run, prepares the first request. */
  client: PhoneClient;
  /** Send nothing: report which rows are valid and show the first request. */
  dryRun?: boolean;
}

export interface BulkSummary {
  exitCode: ExitCode;
  outcome: OutcomeKind;
  message: string;
  /** Why the run stopped before the end of the file, if it did. */
  stopped: 'interrupted' | 'auth_error' | 'csv_error' | 'internal_error' | null;
  exampleRequest: PlainRequest | null;
}

/** What a row's report line says beyond the row's own cells. */
type RowFields = Pick<ReportRow, 'outcome' | 'exitCode' | 'message' | 'column' | 'attempts' | 'readBack'>;

/** A row's report line: one object of one shape (built field by field, not spread: one a row). */
function reportRow(row: CsvRow, fields: RowFields): ReportRow {
  const { cells } = row;
  return {
    row: row.row,
    line: row.line,
    phoneNumber: cells.phoneNumber ?? '',
    phoneName: cells.phoneName ?? '',
    phoneNumberNew: cells.phoneNumberNew ?? '',
    phoneNameNew: cells.phoneNameNew ?? '',
    outcome: fields.outcome,
    exitCode: fields.exitCode,
    message: fields.message,
    column: fields.column,
    attempts: fields.attempts,
    readBack: fields.readBack,
  };
}

/**
 * Which count a report row adds to: the closing summary is a tally of the report's own rows, so
 * the two cannot disagree.
 */
function tally(counts: Counts, fields: Pick<ReportRow, 'outcome' | 'exitCode'>): void {
  switch (fields.outcome) {
    case 'invalid':
      counts.invalid += 1;
      return;
    case 'already_applied':
      counts.skipped += 1;
      return;
    case 'not_sent':
      counts.notSent += 1;
      return;
    case 'dry_run':
      counts.valid += 1;
      return;
  }
  if (fields.exitCode === EXIT.success) counts.applied += 1;
  else if (fields.exitCode === EXIT.partialSuccess) counts.partial += 1;
  else if (fields.exitCode === EXIT.outcomeUnknown) counts.ambiguous += 1;
  else counts.failed += 1;
}

/** The fingerprint scheme a new journal records (the command passes it to openJournal). */
export { ROW_FINGERPRINT } from './row-operation.js';

/**
 * How the journal fingerprints rows: a new journal the current way, a resumed one the way its
 * header names. A scheme this caphone does not know (a newer one wrote the journal) is exit 2.
 */
export function journalFingerprint(journal: Journal): RowFingerprint {
  const fingerprint = rowFingerprintFor(journal.fingerprint);
  if (!fingerprint) {
    throw usageError(`${journal.name} fingerprints rows as "${journal.fingerprint}", which this caphone does not know: a newer caphone wrote it`, 'resume it with the caphone that started it, or pass --journal with another path');
  }
  return fingerprint;
}

/**
 * Before resuming, every row the journal knows must still hold what it held when it was sent:
 * otherwise "row 12 was applied" would be believed of different data. Checked in a first pass over
 * the file, so a mismatch stops the run before anything is sent.
 */
export async function checkJournalMatches(input: string, journal: Journal, fingerprint: RowFingerprint): Promise<void> {
  if (journal.rows.size === 0) return;
  for await (const row of readCsvRows(input)) {
    const state = journal.rows.state(row.row);
    if (state !== ROW_STATE.none && journal.rows.hash(row.row) !== fingerprint(row)) {
      throw new CliError(`row ${row.row} (line ${row.line}) of ${input} changed since ${journal.name} recorded it`, {
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
  const { out, report, progress, counts, journal, fingerprint, client } = options;
  const pool = new RowPool(options.concurrency);
  const codes = new Map<ExitCode, OutcomeKind>();
  let stopped: BulkSummary['stopped'] = null;
  let stopMessage = '';
  let exampleRequest: PlainRequest | null = null;

  const note = (code: ExitCode, kind: OutcomeKind) => {
    if (!codes.has(code)) codes.set(code, kind);
  };
  const stopRun = (why: NonNullable<BulkSummary['stopped']>, message: string) => {
    if (stopped) return;
    stopped = why;
    stopMessage = message;
  };
  options.stop.addEventListener('abort', () => stopRun('interrupted', 'interrupted'), { once: true });

  // Rows finish out of order (they are sent in parallel); the report lists them in input order.
  const ordered = new InOrderWriter<ReportRow>((item) => report.write(item));
  const record = (row: CsvRow, fields: RowFields): void | Promise<void> => {
    tally(counts, fields);
    // Every row of the file is recorded once, numbered from 1: its place in the report is row - 1.
    return ordered.put(row.row - 1, reportRow(row, fields));
  };

  const countSent = () => {
    counts.sent += 1;
  };
  const processRow = async (row: CsvRow, op: PhoneOperation, hash: number, previous: RowState) => {
    if (!journal || !fingerprint) throw new Error('runBulk: a journal and its fingerprint are needed to send');
    // The operation as core returned it (the client checks it again: that is its own safety net).
    const run = await runRow(client, journal, { row: row.row, hash, input: op as RowToRun['input'], previous, onSend: countSent });
    if (run.via === 'settled' && run.applied) {
      note(EXIT.success, 'success');
      const skills = run.skillsUnverified ? ' (skills cannot be verified by reading back)' : '';
      await record(row, { outcome: 'success', exitCode: EXIT.success, message: `applied by an earlier run, confirmed by reading it back${skills}`, column: '', attempts: 0, readBack: run.readBack });
      return;
    }
    if (run.via === 'settled') {
      note(EXIT.outcomeUnknown, 'unknown');
      await record(row, {
        outcome: 'unknown',
        exitCode: EXIT.outcomeUnknown,
        message: 'an earlier run may have applied this row and reading back cannot tell: check it by hand; it will not be sent again from this file',
        column: '',
        attempts: 0,
        readBack: run.readBack,
      });
      return;
    }
    const { result, step } = run;
    const { outcome } = result;
    const code = result.issues?.length ? EXIT.invalidInput : exitCodeForStep(step);
    note(code, outcome.kind);
    if (step.step === 'fix_credentials') stopRun('auth_error', 'CloudAgent rejected the credentials; no further row was sent');
    const field = fieldOf(outcome);
    await record(row, {
      outcome: outcome.kind,
      exitCode: code,
      message: outcome.message,
      column: field ? columnNamer(field) : '',
      attempts: result.attempts,
      readBack: run.readBack,
    });
  };

  const notSent = (row: CsvRow) => {
    note(EXIT.transient, 'server_error');
    return record(row, { outcome: 'not_sent', exitCode: EXIT.transient, message: `not sent: the run stopped (${stopMessage}); run the same command again to resume`, column: '', attempts: 0, readBack: '' });
  };

  progress.start();
  try {
    for await (const batch of readCsvBatches(options.input)) {
      for (const row of batch) {
        counts.rows += 1;
        progress.position = row.bytes;
        if (stopped) {
          await notSent(row);
          continue;
        }
        const check = rowOperation(row);
        if (!check.ok) {
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
        const previous = (journal?.rows ?? options.knownRows)?.state(row.row) ?? ROW_STATE.none;
        if (isApplied(previous)) {
          const partly = previous === ROW_STATE.appliedPartly ? ' (partly: skills were not applied)' : '';
          await record(row, { outcome: 'already_applied', exitCode: EXIT.success, message: `applied by an earlier run${partly}; not sent again`, column: '', attempts: 0, readBack: '' });
          continue;
        }
        if (options.dryRun) {
          if (!exampleRequest) {
            const prepared = client.prepare(check.op as OperationInput);
            if (prepared.ok) exampleRequest = out.redact(prepared.request);
          }
          await record(row, { outcome: 'dry_run', exitCode: EXIT.success, message: 'valid; not sent (dry run)', column: '', attempts: 0, readBack: '' });
          continue;
        }
        // Fingerprinted before the slot is taken: the time from a freed slot to the send is the
        // run's pace when it waits on answers.
        const hash = fingerprint ? fingerprint(row) : 0;
        // The slot is taken first, so the file is read no faster than rows are sent; a stop that
        // came while waiting for it means this row is not sent.
        await pool.start(async () => {
          if (stopped) return notSent(row);
          await processRow(row, check.op, hash, previous).catch(async (error: unknown) => {
            // The journal still says "sending" for this row: a resume reads it back before anything else.
            stopRun('internal_error', `internal error: ${(error as Error).message}`);
            note(EXIT.internal, 'unknown');
            out.detail((error as Error).stack ?? String(error));
            await record(row, { outcome: 'error', exitCode: EXIT.internal, message: out.redact(`internal error: ${(error as Error).message}`), column: '', attempts: 0, readBack: '' });
          });
        });
      }
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    // csv-parse's errors name the line ("Invalid Closing Quote: ... at line 12").
    stopRun('csv_error', `the CSV could not be read further: ${(error as Error).message}`);
    note(EXIT.invalidInput, 'validation_error');
  } finally {
    await pool.drain();
    await ordered.drained();
    progress.stop();
  }

  const exitCode = worstExitCode(codes.keys());
  const outcome = codes.get(exitCode) ?? 'success';
  const summary = summaryOf(counts);
  const message = stopped ? `${stopMessage}. ${summary}` : summary;
  return { exitCode, outcome, message, stopped, exampleRequest };
}
