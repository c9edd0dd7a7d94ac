import { mayRetry } from '@cloudagent-phone/core';
import type { OperationInput, PhoneClient } from '@cloudagent-phone/transport';
import { Journal } from './journal.js';
import { JobCancelledError, type JournalStore } from './journal-store.js';
import type { RequestPacer } from './request-pacer.js';
import { RowPool } from './row-pool.js';
import { runRow, type RowRun } from './row-runner.js';
import { isApplied, mayHaveApplied, ROW_STATE, type RowState } from './row-states.js';

/** A mutation a job applies: validated before the job was accepted. */
export type JobOperation = Exclude<OperationInput, { action: 'get' }>;

/** One row of a job, numbered from 1 in input order. */
export interface JobRow {
  row: number;
  /** The CloudAgent account the row acts on. */
  userName: string;
  input: JobOperation;
}

/** How a row ended, as the job's report lists it. */
export interface JobRowOutcome {
  row: number;
  /** Core's outcome kind, `already_applied` (an earlier run of this job), or `not_sent` (cancelled). */
  outcome: string;
  /** `applied`, `not_applied`, `unknown` (may have applied: never sent again), `cancelled`. */
  verdict: 'applied' | 'not_applied' | 'unknown' | 'cancelled';
  message: string;
  requestId: string;
  attempts: number;
}

/** `paused`: CloudAgent answered 429; the job sends nothing until the `Retry-After` it gave has passed. */
export type JobState = 'queued' | 'running' | 'paused' | 'done' | 'cancelled' | 'failed';

/**
 * What a job keeps durably: its rows (written once, before the job is accepted), its journal, and
 * the outcomes it reported. A file directory on Node (`@cloudagent-phone/bulk/node`), a Durable
 * Object on Workers.
 */
export interface JobStorage {
  /** The rows in input order. */
  rows(): AsyncIterable<JobRow>;
  readonly journal: JournalStore;
  /** Outcomes recorded so far (a resume counts them again); the last one for a row wins. */
  outcomes(): AsyncIterable<JobRowOutcome>;
  /**
   * Stores a row's outcome; the row is counted once this returns or resolves. JobRunner does not
   * hold the row's slot for it (the next row starts meanwhile), and `run()` waits for every one.
   */
  recordOutcome(outcome: JobRowOutcome): void | Promise<void>;
}

export interface JobCounts {
  applied: number;
  notApplied: number;
  unknown: number;
  cancelled: number;
}

export interface JobProgress {
  state: JobState;
  total: number;
  /** Rows with an outcome (this run and earlier runs of the job). */
  finished: number;
  counts: JobCounts;
  /** Over this run of the job (since the process started it or resumed it). */
  rowsPerMinute: number;
  /** Seconds until the last row at the current pace; null before the pace is known or once done. */
  etaSeconds: number | null;
  /** Why the job failed (state `failed`). */
  error?: string;
  /** State `paused`: when sending resumes (ISO time). */
  resumesAt?: string;
}

export interface JobRunnerOptions {
  /**
   * The client rows are sent through (one, or one per account for jobs whose rows name several):
   * its transport carries the job's rate (withRateLimit).
   */
  client: PhoneClient | ((userName: string) => PhoneClient);
  storage: JobStorage;
  /** Rows in the job (known from when it was accepted). */
  total: number;
  /** Rows in flight at once. Default 4. */
  concurrency?: number;
  /** For rows/minute and the ETA (tests). Default performance.now. */
  now?: () => number;
  /**
   * The pacer the job's transport goes through (withRateLimit with `pauseOnRateLimit`): a 429
   * pauses it, and the job's state says `paused` until the pause ends. A row CloudAgent answered
   * 429 is not finished: it is sent again once the pause is over (429 means nothing was applied).
   */
  pacer?: RequestPacer;
  /**
   * A pause longer than this ends the run instead of waiting in it: `run()` resolves in state
   * `paused` with `resumesAt`, nothing recorded for the rows not sent, and a later run carries on
   * (a Workflow sleeps durably in between). Default: wait in the run, however long.
   */
  yieldOnPauseOverMs?: number;
  /**
   * Sends again, at most this often, a row whose answer core's policy calls retryable and not
   * ambiguous (nothing applied: a 503 that says so, a refused token), each time after `admit`, so
   * resends keep the job's pace. Give the job's clients `maxRetries: 0`: retries inside a client
   * call would wait inside its timeout and ignore the job's pause. A 429 is not counted here: it
   * pauses the job and is sent again however often. Default 2.
   */
  resends?: number;
  /**
   * Waits for a row's turn before its client call starts (jobTransport's `admit`); `signal` aborts
   * when the run stops. Undefined instead of a promise: the row may go at once.
   */
  admit?: (signal: AbortSignal) => Promise<void> | undefined;
}

function verdictOf(run: RowRun): JobRowOutcome['verdict'] {
  if (run.via === 'settled') return run.applied ? 'applied' : 'unknown';
  if (run.maybeApplied) return 'unknown';
  const kind = run.result.outcome.kind;
  return kind === 'success' || kind === 'partial_success' ? 'applied' : 'not_applied';
}

function outcomeOf(row: number, run: RowRun): JobRowOutcome {
  if (run.via === 'settled') {
    return run.applied
      ? { row, outcome: 'success', verdict: 'applied', message: 'applied by an earlier run of this job, confirmed by reading it back', requestId: '', attempts: 0 }
      : { row, outcome: 'unknown', verdict: 'unknown', message: 'an earlier run of this job may have applied this row and reading back cannot tell: check it by hand; it is not sent again', requestId: '', attempts: 0 };
  }
  const { outcome, attempts } = run.result;
  return { row, outcome: outcome.kind, verdict: verdictOf(run), message: outcome.message, requestId: outcome.requestId ?? '', attempts };
}

/** A row the job was cancelled before it sent: not sent, unless an earlier run may have sent it. */
function cancelledBeforeSending(row: number, previous: RowState): JobRowOutcome {
  return mayHaveApplied(previous)
    ? { row, outcome: 'unknown', verdict: 'unknown', message: 'an earlier run of this job may have sent this row; the job was cancelled before it was read back: check it by hand', requestId: '', attempts: 0 }
    : { row, outcome: 'not_sent', verdict: 'cancelled', message: 'not sent: the job was cancelled', requestId: '', attempts: 0 };
}

function tally(counts: JobCounts, verdict: JobRowOutcome['verdict']): void {
  if (verdict === 'applied') counts.applied += 1;
  else if (verdict === 'not_applied') counts.notApplied += 1;
  else if (verdict === 'unknown') counts.unknown += 1;
  else counts.cancelled += 1;
}

/**
 * Runs a job's rows exactly once each, across restarts: each run opens the job's journal, skips
 * rows it shows applied, settles rows it shows in flight (runRow), and sends the rest, at most
 * `concurrency` at a time. `cancel()` sends no new row; rows in flight settle and are recorded.
 */
export class JobRunner {
  private state: JobState = 'queued';
  private readonly counts: JobCounts = { applied: 0, notApplied: 0, unknown: 0, cancelled: 0 };
  private finished = 0;
  private finishedThisRun = 0;
  private started = 0;
  private cancelled = false;
  private stopping = false;
  /** Stopped because a long pause began (yieldOnPauseOverMs): the run ends `paused`. */
  private yielded = false;
  /** Aborted when the run stops: rows waiting for their turn stop waiting. */
  private readonly halt = new AbortController();
  private error: string | undefined;
  private readonly now: () => number;

  constructor(private readonly options: JobRunnerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  cancel(): void {
    this.cancelled = true;
  }

  /**
   * Stops without cancelling (the process is shutting down): no new row is started, rows in
   * flight finish, nothing is recorded for the rest, and `run()` ends in state `queued`, so a later
   * run on the same storage carries on.
   */
  stop(): void {
    this.stopping = true;
    this.halt.abort();
  }

  /** Whether the row was refused with a 429: not applied, to be sent again after the pause. */
  private refusedForRate(run: RowRun): boolean {
    return run.via === 'sent' && run.result.outcome.kind === 'rate_limited' && !run.maybeApplied;
  }

  private yieldIfPausedLong(): void {
    const limit = this.options.yieldOnPauseOverMs;
    if (limit === undefined || this.stopping || !this.options.pacer) return;
    if (this.options.pacer.pausedFor() > limit) {
      this.yielded = true;
      this.stop();
    }
  }

  progress(): JobProgress {
    const minutes = (this.now() - this.started) / 60_000;
    const live = this.state === 'running';
    const pausedFor = this.options.pacer?.pausedFor() ?? 0;
    const state: JobState = (live || this.state === 'paused') && pausedFor > 0 ? 'paused' : this.state;
    const rowsPerMinute = live && minutes > 0 ? this.finishedThisRun / minutes : 0;
    const remaining = this.options.total - this.finished;
    return {
      state,
      ...(state === 'paused' ? { resumesAt: new Date(Date.now() + pausedFor).toISOString() } : {}),
      total: this.options.total,
      finished: this.finished,
      counts: { ...this.counts },
      rowsPerMinute: Math.round(rowsPerMinute),
      etaSeconds: live && rowsPerMinute > 0 ? Math.ceil((remaining / rowsPerMinute) * 60) : null,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Runs (or resumes) the job to its end; resolves with its final progress. Never rejects. */
  async run(): Promise<JobProgress> {
    const { storage } = this.options;
    const clientFor = typeof this.options.client === 'function' ? this.options.client : ((client: PhoneClient) => () => client)(this.options.client);
    this.state = 'running';
    this.started = this.now();
    let journal: Journal | undefined;
    try {
      journal = await Journal.open(storage.journal);
      // The verdict recorded for each row, by row number (a Map of every row cost more and held more).
      const known: (JobRowOutcome['verdict'] | undefined)[] = [];
      const record = (row: number, verdict: JobRowOutcome['verdict']) => {
        const earlier = known[row];
        if (earlier === undefined) this.finished += 1;
        else this.untally(earlier);
        known[row] = verdict;
        tally(this.counts, verdict);
      };
      for await (const outcome of storage.outcomes()) record(outcome.row, outcome.verdict);

      const pool = new RowPool(this.options.concurrency ?? 4);
      const open = journal;
      let failure: unknown;
      // Outcomes being stored: a row's slot is free once it has its answer (its next row need not
      // wait for the write), and it is counted only once its outcome is stored. run() waits for all.
      const recording = new Set<Promise<void>>();
      const finish = (outcome: JobRowOutcome): void => {
        const stored = Promise.resolve(storage.recordOutcome(outcome)).then(() => {
          record(outcome.row, outcome.verdict);
          this.finishedThisRun += 1;
        });
        recording.add(stored);
        stored.then(
          () => recording.delete(stored),
          (error: unknown) => {
            recording.delete(stored);
            failure ??= error;
          },
        );
      };
      for await (const { row, userName, input } of storage.rows()) {
        if (failure || this.stopping) break;
        const previous = open.rows.state(row);
        const recorded = known[row];
        // The journal decides what may be sent; the outcomes only what the report says. An outcome
        // lost in a crash (its journal line survived) is recorded again from the journal.
        if (isApplied(previous)) {
          if (recorded !== 'applied') finish({ row, outcome: 'already_applied', verdict: 'applied', message: 'applied by an earlier run of this job', requestId: '', attempts: 0 });
          continue;
        }
        if (previous === ROW_STATE.notApplied) {
          if (recorded === undefined) finish({ row, outcome: 'not_applied', verdict: 'not_applied', message: 'not applied (recorded by an earlier run of this job, whose answer was not kept)', requestId: '', attempts: 0 });
          continue;
        }
        if (this.cancelled) {
          // Unknown if an earlier run may have sent it (recorded again unless it says so), else not sent.
          const outcome = cancelledBeforeSending(row, previous);
          if (outcome.verdict === 'unknown' ? recorded !== 'unknown' : recorded === undefined) finish(outcome);
          continue;
        }
        this.yieldIfPausedLong();
        if (this.stopping) break;
        await pool.start(async () => {
          if (this.stopping) return;
          if (this.cancelled) return finish(cancelledBeforeSending(row, previous));
          try {
            let state: RowState = previous;
            let resent = 0;
            for (;;) {
              // A stop (or a long pause ending the run) ends the wait too: the row is left as it was.
              const turn = this.options.admit?.(this.halt.signal);
              if (turn && !(await turn.then(() => true, () => false))) return;
              if (this.stopping) return;
              if (this.cancelled && state === previous) return finish(cancelledBeforeSending(row, previous));
              const run = await runRow(clientFor(userName), open, { row, hash: row, input, previous: state });
              const refusedForRate = this.refusedForRate(run);
              if (!refusedForRate && !(run.via === 'sent' && !run.maybeApplied && mayRetry(run.result.outcome, resent++, this.options.resends ?? 2))) {
                return finish(outcomeOf(row, run));
              }
              // 429 (or another "not applied, try again"): sent again after its turn (a 429's pause), unless the run ends first.
              this.yieldIfPausedLong();
              if (this.stopping) return;
              if (this.cancelled) return finish({ row, outcome: 'not_sent', verdict: 'cancelled', message: `not applied: CloudAgent answered "${run.via === 'sent' ? run.result.outcome.kind : ''}" and the job was cancelled before it was sent again`, requestId: '', attempts: 0 });
              state = ROW_STATE.none;
            }
          } catch (error) {
            // The store refused the row's "sending" (the job was cancelled): it was not sent.
            if (error instanceof JobCancelledError) {
              this.cancel();
              return finish(cancelledBeforeSending(row, previous));
            }
            // The row stays "sending" in the journal: the next run reads it back.
            failure ??= error;
          }
        });
      }
      await pool.drain();
      while (recording.size > 0) await Promise.allSettled([...recording]);
      if (failure) throw failure;
      this.state = this.yielded ? 'paused' : this.stopping ? 'queued' : this.cancelled ? 'cancelled' : 'done';
    } catch (error) {
      this.state = 'failed';
      this.error = (error as Error).message;
    } finally {
      await journal?.close().catch(() => undefined);
    }
    return this.progress();
  }

  private untally(verdict: JobRowOutcome['verdict']): void {
    if (verdict === 'applied') this.counts.applied -= 1;
    else if (verdict === 'not_applied') this.counts.notApplied -= 1;
    else if (verdict === 'unknown') this.counts.unknown -= 1;
    else this.counts.cancelled -= 1;
  }
}
