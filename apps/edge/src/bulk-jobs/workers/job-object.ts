import { DurableObject } from 'cloudflare:workers';
import type { JobCounts, JobRow, JobRowOutcome, JobState } from '@cloudagent-phone/bulk';
import type { BulkJobReportLine, BulkJobStatus } from '../jobs.js';
import type { JobsEnv } from './jobs-env.js';

/** Everything about a job but its rows, journal and outcomes: one JSON value in the `job` table. */
export interface JobRecord {
  id: string;
  team: string;
  createdAt: string;
  total: number;
  ratePerMinute: number;
  concurrency: number;
  teamRateLimitPerMinute: number;
  idempotencyKey?: string;
  state: JobState;
  cancelRequested: boolean;
  /** Rows per Workflow step (a slice): chosen once, so step names stay the same across replays. */
  sliceRows: number;
  workflowStarted: boolean;
  /** When the first slice started (rows a minute are measured from it). */
  startedAt?: number;
  resumesAt?: string;
  error?: string;
  /** The run (one attempt of one slice step) allowed to write; another one's writes are refused. */
  runId?: string;
  /** The current run has not ended cleanly yet (a crash, a step timeout): the next one waits a quiet period. */
  runOpen?: boolean;
  /** Last journal write of the current run (ms). */
  lastWriteAt?: number;
}

/** What a slice step needs to start. */
export interface SliceStart {
  runId: string;
  cancelled: boolean;
  /** Wait this long before reading the journal: an earlier run that did not end may still have a request in flight. */
  quietForMs: number;
  ratePerMinute: number;
  concurrency: number;
  teamRateLimitPerMinute: number;
  team: string;
}

/** The most rows one slice step takes, and the fewest steps worth splitting a job into. */
const MOST_SLICE_ROWS = 500;
const MOST_SLICES = 800;

/** Rows per slice: a few minutes of the job's own rate, and never more than MOST_SLICES steps (Workflows allows 10,000 per instance on the paid plan, 1,024 on the free one). */
export function sliceRowsFor(total: number, ratePerMinute: number): number {
  return Math.max(Math.ceil(total / MOST_SLICES), Math.min(MOST_SLICE_ROWS, ratePerMinute * 5), 1);
}

const EMPTY_COUNTS = (): JobCounts => ({ applied: 0, notApplied: 0, unknown: 0, cancelled: 0 });
const ENDED: ReadonlySet<JobState> = new Set(['done', 'cancelled', 'failed']);


/**
 * One bulk job on Workers, in the object's SQLite storage: its record, its rows (written once, in
 * one transaction, before the job is accepted), its journal (the bulk journal's lines, the last one
 * per row kept: the same meaning as the append-only file, read back per slice) and one outcome per
 * row for the report. The job's Workflow (workflow.ts) runs the rows, slice by slice, through the
 * methods below; the bulk-jobs routes read status and report. One object per job: its id is the
 * job's id (from the team and its Idempotency-Key when there is one, so concurrent first requests
 * meet in one object and make one job).
 */
export class BulkJob extends DurableObject<JobsEnv> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: JobsEnv) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(
      `CREATE TABLE IF NOT EXISTS job (k INTEGER PRIMARY KEY CHECK (k = 1), record TEXT NOT NULL);
       CREATE TABLE IF NOT EXISTS rows (row INTEGER PRIMARY KEY, user_name TEXT NOT NULL, input TEXT NOT NULL);
       CREATE TABLE IF NOT EXISTS journal (row INTEGER PRIMARY KEY, line TEXT NOT NULL, in_flight INTEGER NOT NULL);
       CREATE TABLE IF NOT EXISTS outcomes (row INTEGER PRIMARY KEY, outcome TEXT NOT NULL, verdict TEXT NOT NULL, message TEXT NOT NULL, request_id TEXT NOT NULL, attempts INTEGER NOT NULL);`,
    );
  }

  #record(): JobRecord | undefined {
    const row = this.#sql.exec<{ record: string }>('SELECT record FROM job WHERE k = 1').toArray()[0];
    return row && (JSON.parse(row.record) as JobRecord);
  }

  #save(record: JobRecord): void {
    this.#sql.exec('INSERT OR REPLACE INTO job VALUES (1, ?)', JSON.stringify(record));
  }

  #counts(): { counts: JobCounts; finished: number } {
    const counts = EMPTY_COUNTS();
    let finished = 0;
    for (const { verdict, n } of this.#sql.exec<{ verdict: string; n: number }>('SELECT verdict, COUNT(*) AS n FROM outcomes GROUP BY verdict')) {
      finished += n;
      if (verdict === 'applied') counts.applied = n;
      else if (verdict === 'not_applied') counts.notApplied = n;
      else if (verdict === 'unknown') counts.unknown = n;
      else counts.cancelled = n;
    }
    return { counts, finished };
  }

  #status(record: JobRecord): BulkJobStatus {
    const { counts, finished } = this.#counts();
    const live = record.state === 'running' || record.state === 'paused';
    const minutes = record.startedAt ? (Date.now() - record.startedAt) / 60_000 : 0;
    const rowsPerMinute = live && minutes > 0 ? finished / minutes : 0;
    return {
      id: record.id,
      team: record.team,
      createdAt: record.createdAt,
      ratePerMinute: record.ratePerMinute,
      concurrency: record.concurrency,
      cancelRequested: record.cancelRequested,
      state: record.state,
      total: record.total,
      finished,
      counts,
      rowsPerMinute: Math.round(rowsPerMinute),
      etaSeconds: live && rowsPerMinute > 0 ? Math.ceil(((record.total - finished) / rowsPerMinute) * 60) : null,
      ...(record.state === 'paused' && record.resumesAt ? { resumesAt: record.resumesAt } : {}),
      ...(record.error ? { error: record.error } : {}),
    };
  }

  #teamRecord(team: string): JobRecord | undefined {
    const record = this.#record();
    return record?.team === team ? record : undefined;
  }

  /**
   * Makes the job (rows and record in one transaction) and starts its Workflow; a job already here
   * (the same team and key) is returned as it is. No await between the check and the write, so two
   * concurrent first requests cannot both make it.
   */
  async create(job: Pick<JobRecord, 'id' | 'team' | 'total' | 'ratePerMinute' | 'concurrency' | 'teamRateLimitPerMinute' | 'idempotencyKey'>, rows: JobRow[]): Promise<{ status: BulkJobStatus; created: boolean }> {
    let record = this.#record();
    const created = record === undefined;
    if (!record) {
      const made: JobRecord = {
        ...job,
        createdAt: new Date().toISOString(),
        state: 'queued',
        cancelRequested: false,
        sliceRows: sliceRowsFor(job.total, job.ratePerMinute),
        workflowStarted: false,
      };
      this.ctx.storage.transactionSync(() => {
        for (const { row, userName, input } of rows) this.#sql.exec('INSERT INTO rows VALUES (?, ?, ?)', row, userName, JSON.stringify(input));
        this.#save(made);
      });
      record = made;
    }
    if (!record.workflowStarted && !ENDED.has(record.state)) {
      // Also on a repeat: a first request that failed between the rows and the Workflow is finished here.
      try {
        await this.env.BULK_JOB_WORKFLOW.create({ id: record.id, params: { jobId: record.id } });
      } catch (error) {
        // Already created by an earlier attempt: that is what was wanted.
        if (!/already exists|already_exists|duplicate/i.test(String((error as Error).message))) throw error;
      }
      record = { ...this.#record()!, workflowStarted: true };
      this.#save(record);
    }
    return { status: this.#status(record), created };
  }

  status(team: string): BulkJobStatus | undefined {
    const record = this.#teamRecord(team);
    return record && this.#status(record);
  }

  /** Report lines after `afterRow`, in input order, at most `limit`. Undefined: no such job for this team. */
  report(team: string, afterRow: number, limit: number): BulkJobReportLine[] | undefined {
    if (!this.#teamRecord(team)) return undefined;
    const lines: BulkJobReportLine[] = [];
    const cursor = this.#sql.exec<{ row: number; user_name: string; input: string; outcome: string | null; verdict: string | null; message: string | null; request_id: string | null; attempts: number | null }>(
      'SELECT r.row, r.user_name, r.input, o.outcome, o.verdict, o.message, o.request_id, o.attempts FROM rows r LEFT JOIN outcomes o ON o.row = r.row WHERE r.row > ? ORDER BY r.row LIMIT ?',
      afterRow,
      limit,
    );
    for (const r of cursor) {
      const input = JSON.parse(r.input) as JobRow['input'];
      lines.push({
        row: r.row,
        userName: r.user_name,
        action: input.action,
        phoneNumber: input.phoneNumber,
        outcome: r.outcome ?? 'pending',
        verdict: (r.verdict ?? 'pending') as BulkJobReportLine['verdict'],
        message: r.message ?? 'not finished yet',
        requestId: r.request_id ?? '',
        attempts: r.attempts ?? 0,
      });
    }
    return lines;
  }

  /** No new row is sent (the running slice hears it with its next journal write); rows in flight settle. */
  cancel(team: string): BulkJobStatus | undefined {
    const record = this.#teamRecord(team);
    if (!record) return undefined;
    if (ENDED.has(record.state) || record.cancelRequested) return this.#status(record);
    const updated = { ...record, cancelRequested: true };
    this.#save(updated);
    return this.#status(updated);
  }

  // ---- what the job's Workflow calls ----

  /** The record, for the Workflow's plan (its slices). */
  plan(): { total: number; sliceRows: number } {
    const record = this.#record();
    if (!record) throw new Error('no such job');
    return { total: record.total, sliceRows: record.sliceRows };
  }

  /**
   * A slice step starts: it becomes the one run allowed to write (an earlier one that is still
   * alive, a step that timed out, is refused from now on). If the run before it did not end
   * cleanly, the new one waits `quietMs` from that run's last write before reading the journal: a
   * request it sent may still be in flight, and reading back before it lands could wrongly show "not
   * applied".
   */
  beginSlice(quietMs: number): SliceStart {
    const record = this.#record();
    if (!record) throw new Error('no such job');
    const quietForMs = record.runOpen && record.lastWriteAt ? Math.max(0, record.lastWriteAt + quietMs - Date.now()) : 0;
    const runId = crypto.randomUUID();
    this.#save({ ...record, runId, runOpen: true, state: 'running', startedAt: record.startedAt ?? Date.now() });
    const { ratePerMinute, concurrency, teamRateLimitPerMinute, team, cancelRequested } = record;
    return { runId, cancelled: cancelRequested, quietForMs, ratePerMinute, concurrency, teamRateLimitPerMinute, team };
  }

  sliceRows(from: number, to: number): JobRow[] {
    return this.#sql
      .exec<{ row: number; user_name: string; input: string }>('SELECT row, user_name, input FROM rows WHERE row BETWEEN ? AND ? ORDER BY row', from, to)
      .toArray()
      .map((r) => ({ row: r.row, userName: r.user_name, input: JSON.parse(r.input) as JobRow['input'] }));
  }

  /** The journal's header (row 0) and its lines about the slice's rows. */
  journalLines(from: number, to: number): string[] {
    return this.#sql
      .exec<{ line: string }>('SELECT line FROM journal WHERE row = 0 OR row BETWEEN ? AND ? ORDER BY row', from, to)
      .toArray()
      .map((r) => r.line);
  }

  sliceOutcomes(from: number, to: number): JobRowOutcome[] {
    return this.#sql
      .exec<{ row: number; outcome: string; verdict: string; message: string; request_id: string; attempts: number }>('SELECT * FROM outcomes WHERE row BETWEEN ? AND ? ORDER BY row', from, to)
      .toArray()
      .map((r) => ({ row: r.row, outcome: r.outcome, verdict: r.verdict as JobRowOutcome['verdict'], message: r.message, requestId: r.request_id, attempts: r.attempts }));
  }

  /**
   * The journal's append (and the outcomes recorded since the last one): durable when this
   * returns, which is what lets a row's request leave. Refused for a run that is not the current
   * one (`superseded`: nothing was written, and that run must stop). Answers whether the job was
   * cancelled meanwhile; once it is, a row's "sending" is not written (`refusedSending`): those rows
   * must not be sent, the rest of the lines are written.
   */
  append(runId: string, text: string, outcomes: JobRowOutcome[]): { cancelled: boolean; superseded?: true; refusedSending?: true } {
    const record = this.#record();
    if (!record || record.runId !== runId) return { cancelled: false, superseded: true };
    let refusedSending = false;
    this.ctx.storage.transactionSync(() => {
      for (const line of text.split('\n')) {
        if (line === '') continue;
        let entry: { r?: unknown; s?: unknown };
        try {
          entry = JSON.parse(line) as { r?: unknown; s?: unknown };
        } catch {
          continue;
        }
        if (entry.s === 'sending' && record.cancelRequested) {
          refusedSending = true;
          continue;
        }
        const row = typeof entry.r === 'number' && Number.isInteger(entry.r) && entry.r >= 1 ? entry.r : 0;
        this.#sql.exec('INSERT OR REPLACE INTO journal VALUES (?, ?, ?)', row, line, entry.s === 'sending' || (entry as { a?: unknown }).a === 1 ? 1 : 0);
      }
      for (const o of outcomes) this.#sql.exec('INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?)', o.row, o.outcome, o.verdict, o.message, o.requestId, o.attempts);
      this.#save({ ...record, lastWriteAt: Date.now() });
    });
    return { cancelled: record.cancelRequested, ...(refusedSending ? { refusedSending: true as const } : {}) };
  }

  /** A slice step ended (every row of the slice recorded, or a pause began, or the job was cancelled). */
  endSlice(runId: string, pausedUntil: number | undefined): { superseded?: true } {
    const record = this.#record();
    if (!record || record.runId !== runId) return { superseded: true };
    const paused = pausedUntil !== undefined;
    const { resumesAt: _resumesAt, ...rest } = record;
    this.#save({ ...rest, runOpen: false, state: paused ? 'paused' : 'running', ...(paused ? { resumesAt: new Date(pausedUntil).toISOString() } : {}) });
    return {};
  }

  /**
   * After a cancel: every row past `from` that has no outcome is reported, `unknown` if the journal
   * shows it may have been sent (never the case for rows no slice reached, but said if so), else
   * `not_sent`. Then the job is `cancelled`.
   */
  cancelRest(from: number): void {
    const record = this.#record();
    if (!record) throw new Error('no such job');
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec(
        `INSERT INTO outcomes SELECT r.row,
           CASE WHEN j.in_flight = 1 THEN 'unknown' ELSE 'not_sent' END,
           CASE WHEN j.in_flight = 1 THEN 'unknown' ELSE 'cancelled' END,
           CASE WHEN j.in_flight = 1 THEN 'this row may have been sent before the job was cancelled: check it by hand' ELSE 'not sent: the job was cancelled' END,
           '', 0
         FROM rows r LEFT JOIN journal j ON j.row = r.row LEFT JOIN outcomes o ON o.row = r.row
         WHERE r.row >= ? AND o.row IS NULL`,
        from,
      );
      this.#save({ ...record, runOpen: false, state: 'cancelled' });
    });
  }

  /** The job's last word: done, cancelled, or failed (the Workflow gave up on a step). */
  finish(state: 'done' | 'cancelled' | 'failed', error?: string): BulkJobStatus {
    const record = this.#record();
    if (!record) throw new Error('no such job');
    const { resumesAt: _resumesAt, ...rest } = record;
    const ended: JobRecord = { ...rest, state, runOpen: false, ...(error ? { error } : {}) };
    this.#save(ended);
    return this.#status(ended);
  }
}
