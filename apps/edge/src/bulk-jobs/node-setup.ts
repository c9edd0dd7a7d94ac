import type { memoryAccountTokens } from '@cloudagent-phone/server';
import { createClient, type Transport } from '@cloudagent-phone/transport';
import { parse as parseCsv } from 'csv-parse/sync';
import type { EdgeAppOptions } from '../app.js';
import type { EdgeConfig } from '../config.js';
import type { NodeEdgeConfig } from '../node-config.js';
import type { RateLimiter } from '../rate-limit/limiter.js';
import type { BulkJobs } from './jobs.js';
import { createNodeBulkJobs } from './node-jobs.js';
import { bulkJobRoutes } from './routes.js';

/** Where bulk jobs live on Node (their rate, BULK_JOB_RATE_PER_MINUTE, is checked in node-config.ts). */
export interface BulkJobsEnv {
  /** Bulk jobs (POST /bulk-jobs) are served only when set: their rows, journals and reports live here. */
  EDGE_DATA_DIR?: string | undefined;
}

/** CSV with a header row, cells trimmed, blank lines skipped: a job's rows as records by column. */
function csvRecords(text: string): Record<string, string>[] {
  return parseCsv(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim()), trim: true, skip_empty_lines: true }) as Record<string, string>[];
}

/**
 * Bulk jobs in this process, when EDGE_DATA_DIR is set: the jobs (started now: jobs that had not
 * ended are resumed) and the option that mounts their routes. Clients are the edge's accounts,
 * sending through each job's rate-limited transport.
 */
export function nodeBulkJobs(
  env: BulkJobsEnv,
  config: EdgeConfig,
  nodeConfig: NodeEdgeConfig,
  transport: Transport,
  tokens: ReturnType<typeof memoryAccountTokens>,
  rateLimiter: RateLimiter,
): { jobs: BulkJobs; option: Pick<EdgeAppOptions, 'bulkJobs'> } | undefined {
  if (!env.EDGE_DATA_DIR) return undefined;
  const ratePerMinute = nodeConfig.bulkJobRatePerMinute;
  const jobs = createNodeBulkJobs({
    dataDir: env.EDGE_DATA_DIR,
    transport,
    takeFromTeam: (team, limit, ceiling, count) => rateLimiter.take(team, limit, ceiling, count),
    clientFor: (userName, jobTransport) => {
      const account = config.accounts.get(userName);
      if (!account) throw new Error(`a bulk job row names an account that is not in CLOUDAGENT_ACCOUNTS: ${userName}`);
      const tokenProvider = account.auth === 'token' ? tokens(account.userName, account.apiKey) : undefined;
      return createClient({
        userName: account.userName,
        apiKey: account.apiKey,
        auth: account.auth,
        ...(tokenProvider ? { tokenProvider } : {}),
        baseUrl: config.baseUrl,
        transport: jobTransport,
        timeoutMs: config.timeoutMs,
        // No retries inside a call: JobRunner resends what may be resent at the job's pace, and a
        // 429 pauses the whole job (a retry inside the call would wait inside its timeout).
        maxRetries: 0,
      });
    },
  });
  return {
    jobs,
    option: {
      bulkJobs: (teamAuth) =>
        bulkJobRoutes({ config, jobs, teamAuth, parseCsv: csvRecords, ...(ratePerMinute ? { ratePerMinute } : {}) }) as unknown as ReturnType<NonNullable<EdgeAppOptions['bulkJobs']>>,
    },
  };
}
