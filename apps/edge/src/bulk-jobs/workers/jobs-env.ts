import type { AccountTokens } from '@cloudagent-phone/server/workers';
import type { TeamRateLimiter } from '../../workers-runtime.js';
import type { EdgeEnv } from '../../config.js';
import type { BulkJob } from './job-object.js';

/** What a job's Workflow is started with: the job's id (its rows are in the job's object, not here). */
export interface BulkJobParams {
  jobId: string;
}

/**
 * The bulk-jobs Worker's bindings (wrangler.jobs.jsonc). Written by hand: `wrangler types` writes one
 * global `Env`, which is the edge Worker's. The team's rate limiter and the accounts' tokens are the
 * edge Worker's own Durable Objects (`script_name`), so a job's requests count in the same window
 * as the team's interactive calls, and token accounts share one token.
 */
export interface JobsEnv extends EdgeEnv {
  BULK_JOB: DurableObjectNamespace<BulkJob>;
  BULK_JOB_WORKFLOW: Workflow<BulkJobParams>;
  TEAM_RATE_LIMITER: DurableObjectNamespace<TeamRateLimiter>;
  ACCOUNT_TOKENS: DurableObjectNamespace<AccountTokens>;
  /** Rows a minute for a job that asks for none (default 30), capped at half the team's rate. */
  BULK_JOB_RATE_PER_MINUTE?: string;
}
