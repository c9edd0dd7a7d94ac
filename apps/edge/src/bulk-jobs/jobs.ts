import type { JobProgress, JobRow, JobRowOutcome } from '@cloudagent-phone/bulk';

/** What the edge answers about a job (GET /bulk-jobs/{id}). */
export interface BulkJobStatus extends JobProgress {
  id: string;
  team: string;
  createdAt: string;
  /** The job's own rate (rows a minute), taken from the team's budget. */
  ratePerMinute: number;
  cancelRequested: boolean;
}

/** One line of a job's report, in input order; `pending` until the row has an outcome. */
export interface BulkJobReportLine extends Omit<JobRowOutcome, 'verdict'> {
  verdict: JobRowOutcome['verdict'] | 'pending';
  userName: string;
  action: string;
  phoneNumber: string;
}

/**
 * The edge's bulk jobs behind one interface: in process with files on Node (node-jobs.ts); a
 * Workflow with Durable Object storage on Workers (not built yet). Every method takes the team, so
 * a team sees only its own jobs.
 */
export interface BulkJobs {
  /** Stores the rows and starts the job; with an idempotency key already used by the team, the job it made. */
  create(team: string, rows: JobRow[], options: { idempotencyKey?: string; ratePerMinute: number }): Promise<{ status: BulkJobStatus; created: boolean }>;
  status(team: string, id: string): Promise<BulkJobStatus | undefined>;
  report(team: string, id: string): Promise<AsyncIterable<BulkJobReportLine> | undefined>;
  /** No new row is sent; rows in flight settle. */
  cancel(team: string, id: string): Promise<BulkJobStatus | undefined>;
  /** Stops the runners (rows in flight finish) without cancelling: a restart resumes them. */
  close(): Promise<void>;
}
