// @cloudagent-phone/bulk: runtime-neutral. Journals in files are in ./node.
export { InOrderWriter } from './in-order.js';
export { Journal, JournalFormatError, type JournalOptions } from './journal.js';
export { JobCancelledError, MemoryJournalStore, type JournalStore } from './journal-store.js';
export { DEFAULT_RATE_LIMIT_PAUSE_MS, RequestPacer, waitForTurn, withRateLimit, type CallBudget, type JobLimits } from './request-pacer.js';
export { RowPool, Slots } from './row-pool.js';
export { runRow, type RowRun, type RowToRun } from './row-runner.js';
export { ROW_STATE, RowStates, isApplied, mayHaveApplied, stateOf, type RowState } from './row-states.js';
export { JobRunner, type JobCounts, type JobOperation, type JobProgress, type JobRow, type JobRowOutcome, type JobRunnerOptions, type JobState, type JobStorage } from './job.js';
export { MAX_JOB_ROWS, validateJobRows, type JobInput, type JobInputIssue, type JobInputOptions } from './job-input.js';
export {
  DEFAULT_JOB_CONCURRENCY,
  DEFAULT_JOB_RATE_PER_MINUTE,
  MAX_JOB_CONCURRENCY,
  jobPaceFrom,
  jobShareOf,
  jobTransport,
  teamShareBudget,
  type JobBudget,
  type JobPace,
  type JobTransport,
  type TeamDecision,
} from './job-limits.js';
