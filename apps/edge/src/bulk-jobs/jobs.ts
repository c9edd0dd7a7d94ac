import type { JobPace, JobProgress, JobRow, JobRowOutcome } from '@cloudagent-phone/bulk';

/** What the edge answers about a job (GET /bulk-jobs/{id}). */
export interface BulkJobStatus extends JobProgress {
  id: string;
  team: string;
  createdAt: string;
  /** The job's own rate (requests a minute), taken from the team's budget (at most half of it). */
  ratePerMinute: number;
  /** Rows in flight at once. */
  concurrency: number;
  cancelRequested: boolean;
}

/** One line of a job's report, in input order; `pending` until the row has an outcome. */
export interface BulkJobReportLine extends Omit<JobRowOutcome, 'verdict'> {
  verdict: JobRowOutcome['verdict'] | 'pending';
  userName: string;
  action: string;
  phoneNumber: string;
}

export interface BulkJobOptions extends JobPace {
  /** Stored with the job: a repeat with the same key returns this job, even after a restart. */
  idempotencyKey?: string;
  /** The team's rate (TEAMS): every request of the job is booked in the team's limiter under half of it. */
  teamRateLimitPerMinute: number;
}

/**
 * The edge's bulk jobs behind one interface: in process with files on Node (node-jobs.ts); a
 * Workflow with Durable Object storage on Workers (not built yet). Every method takes the team, so
 * a team sees only its own jobs.
 */
export interface BulkJobs {
  /** Stores the rows and starts the job; with an idempotency key already used by the team, the job it made. */
  create(team: string, rows: JobRow[], options: BulkJobOptions): Promise<{ status: BulkJobStatus; created: boolean }>;
  status(team: string, id: string): Promise<BulkJobStatus | undefined>;
  report(team: string, id: string): Promise<AsyncIterable<BulkJobReportLine> | undefined>;
  /** No new row is sent; rows in flight settle. */
  cancel(team: string, id: string): Promise<BulkJobStatus | undefined>;
  /** Stops the runners (rows in flight finish) without cancelling: a restart resumes them. */
  close(): Promise<void>;
}
