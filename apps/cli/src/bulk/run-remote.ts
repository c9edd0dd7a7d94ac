import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createOutcome, OUTCOME_KINDS, type OutcomeKind, type PhoneAction } from '@cloudagent-phone/core';
import type { BulkJob, BulkJobReportLine, EdgeClient } from '@cloudagent-phone/edge-client';
import { usageError } from '../cli-error.js';
import { EXIT, exitCodeFor, worstExitCode, type ExitCode } from '../exit-codes.js';
import { answerOf, callEdge, ENDED_STATES } from '../jobs/edge-jobs.js';
import type { Output } from '../output.js';
import { summaryOf, type Counts, type Progress } from './progress.js';
import { csvCell } from './report.js';
import type { BulkSummary } from './run-bulk.js';

/** The edge's body limit for a job (apps/edge BULK_BODY_LIMIT_BYTES): checked here first, so nothing is sent. */
export const REMOTE_JOB_MAX_BYTES = 16 * 1024 * 1024;

const REPORT_COLUMNS = ['row', 'userName', 'action', 'phoneNumber', 'outcome', 'verdict', 'message', 'requestId', 'attempts'] as const;

export interface RemoteBulkOptions {
  input: string;
  client: EdgeClient;
  edgeUrl: string;
  /** The account for rows that name none (--user, CLOUDAGENT_USERNAME or the profile). */
  userName: string | undefined;
  out: Output;
  progress: Progress;
  counts: Counts;
  reportPath: string;
  reportFormat: 'csv' | 'json';
  /** Waits between status polls (tests shorten it). Default 250 ms, doubling to 2 s. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RemoteSummary extends BulkSummary {
  job: BulkJob;
  /** True when this file (for this account) had been submitted before: the job followed is that one. */
  resumed: boolean;
}

/**
 * The Idempotency-Key of a file's job: the same bytes for the same account are the same job, so
 * running the command again (after the laptop slept, the network dropped, or Ctrl-C) follows the
 * job it started instead of starting a second one, as a local run resumes from its journal.
 */
export function jobKeyFor(content: string, userName: string | undefined): string {
  return `caphone-bulk-${createHash('sha256').update(`${userName ?? ''}\0${content}`).digest('hex')}`;
}

/** A report line's exit code, as a local run would give that row. */
function rowExitCode(line: BulkJobReportLine): { code: ExitCode; kind: OutcomeKind } {
  if (line.verdict === 'pending' || line.outcome === 'not_sent') return { code: EXIT.transient, kind: 'server_error' };
  if (line.verdict === 'unknown') return { code: EXIT.outcomeUnknown, kind: 'unknown' };
  if (line.verdict === 'applied') return line.outcome === 'partial_success' ? { code: EXIT.partialSuccess, kind: 'partial_success' } : { code: EXIT.success, kind: 'success' };
  const kind = (OUTCOME_KINDS as readonly string[]).includes(line.outcome) ? (line.outcome as OutcomeKind) : 'rejected';
  const outcome = createOutcome(line.action as PhoneAction, { kind, message: line.message, retryable: false, vendorMessage: line.message, nameMismatch: false } as never);
  return { code: exitCodeFor(outcome, line.action as PhoneAction), kind };
}

/** The closing counts from the report itself, the way a local run counts its report's rows. */
export function tallyReport(lines: readonly BulkJobReportLine[], counts: Counts): Map<ExitCode, OutcomeKind> {
  Object.assign(counts, { rows: 0, sent: 0, applied: 0, partial: 0, failed: 0, invalid: 0, skipped: 0, ambiguous: 0, notSent: 0, valid: 0 });
  const codes = new Map<ExitCode, OutcomeKind>();
  for (const line of lines) {
    counts.rows += 1;
    if (line.attempts > 0) counts.sent += 1;
    const { code, kind } = rowExitCode(line);
    if (!codes.has(code)) codes.set(code, kind);
    if (line.outcome === 'already_applied') counts.skipped += 1;
    else if (code === EXIT.transient && (line.verdict === 'pending' || line.outcome === 'not_sent')) counts.notSent += 1;
    else if (code === EXIT.success) counts.applied += 1;
    else if (code === EXIT.partialSuccess) counts.partial += 1;
    else if (code === EXIT.outcomeUnknown) counts.ambiguous += 1;
    else counts.failed += 1;
  }
  return codes;
}

/** While the job runs, the progress line shows its counts (the report is read once it ends). */
function showProgress(job: BulkJob, counts: Counts, progress: Progress): void {
  Object.assign(counts, { rows: job.finished, sent: job.finished, applied: job.counts.applied, failed: job.counts.notApplied, ambiguous: job.counts.unknown, notSent: job.counts.cancelled });
  progress.total = job.total;
  progress.position = job.finished;
}

async function writeReport(path: string, format: 'csv' | 'json', lines: readonly BulkJobReportLine[]): Promise<void> {
  const text =
    format === 'json'
      ? `${JSON.stringify(lines, null, 2)}\n`
      : `${REPORT_COLUMNS.join(',')}\n${lines.map((line) => `${REPORT_COLUMNS.map((k) => csvCell(line[k])).join(',')}\n`).join('')}`;
  await writeFile(path, text);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `phone bulk-edit FILE --remote EDGE`: submits the file as one job (the edge validates every row
 * before it starts, and applies each exactly once at the job's own rate), follows it with the
 * progress line a local run draws, then reads its report and ends with the same summary and exit
 * code a local run would give for those outcomes.
 */
export async function runRemoteBulk(options: RemoteBulkOptions): Promise<RemoteSummary> {
  const { client, out, counts, progress } = options;
  const sleep = options.sleep ?? wait;
  const content = await readFile(options.input, 'utf8');
  if (Buffer.byteLength(content) > REMOTE_JOB_MAX_BYTES) {
    throw usageError(`${options.input} is over 16 MB, the most an edge takes in one job; nothing was sent`, 'split the file into several files (at most 100,000 rows each) and submit each one');
  }
  const edge = { edgeUrl: options.edgeUrl, submitting: true };
  const idempotencyKey = jobKeyFor(content, options.userName);
  const answer = await answerOf(edge, () => client.createBulkJob({ csv: content }, { idempotencyKey, ...(options.userName ? { userName: options.userName } : {}) }));
  const submitted = answer.data;
  // 200 rather than 202: this file was submitted before, and that job is the one to follow.
  const resumed = answer.status === 200;
  const id = submitted.id;
  out.note(
    `${resumed ? 'following job' : 'submitted job'} ${id} (${submitted.total} rows) on ${options.edgeUrl}${resumed ? ', started earlier from this file' : ''}; it runs on the edge: Ctrl-C stops following, caphone jobs status ${id} looks again`,
  );

  const context = { edgeUrl: options.edgeUrl, jobId: id };
  let job = submitted;
  progress.start();
  try {
    for (let pause = 250; !ENDED_STATES.has(job.state); pause = Math.min(2000, pause * 2)) {
      showProgress(job, counts, progress);
      await sleep(pause);
      job = await callEdge(context, () => client.getBulkJob(id));
    }
    showProgress(job, counts, progress);
  } finally {
    progress.stop();
  }

  const lines = await callEdge(context, () => client.getBulkJobReport(id, { format: 'ndjson' }));
  const codes = tallyReport(lines, counts);
  await writeReport(options.reportPath, options.reportFormat, lines);
  if (job.state === 'failed') codes.set(EXIT.internal, 'unknown');
  const exitCode = worstExitCode(codes.keys());
  const summary = summaryOf(counts);
  const stopped: BulkSummary['stopped'] = job.state === 'failed' ? 'internal_error' : job.state === 'cancelled' ? 'interrupted' : null;
  const why = job.state === 'failed' ? `the job failed on the edge (${job.error ?? 'no reason given'}). ` : job.state === 'cancelled' ? 'the job was cancelled. ' : '';
  return { exitCode, outcome: codes.get(exitCode) ?? 'success', message: `${why}${summary}`, stopped, exampleRequest: null, job, resumed };
}
