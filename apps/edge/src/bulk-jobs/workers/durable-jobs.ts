import type { BulkJobReportLine, BulkJobs } from '../jobs.js';
import type { JobsEnv } from './jobs-env.js';

/** Report lines fetched from the job's object at a time. */
const REPORT_PAGE = 1_000;
const JOB_ID = /^[0-9a-f]{64}$/;

/**
 * The bulk-jobs routes' view of jobs on Workers: one BulkJob Durable Object per job. A job with an
 * Idempotency-Key lives in the object named by the team and the key, so every request with that key
 * reaches the same object, which makes the job once (a lock without a lock). Its id is the object's.
 */
export function durableBulkJobs(env: JobsEnv): BulkJobs {
  const ns = env.BULK_JOB;
  const stubFor = (id: string) => {
    if (!JOB_ID.test(id)) return undefined;
    try {
      return ns.get(ns.idFromString(id));
    } catch {
      // Not an id of this namespace.
      return undefined;
    }
  };
  return {
    async create(team, rows, { idempotencyKey, ratePerMinute, concurrency, teamRateLimitPerMinute }) {
      const id = idempotencyKey ? ns.idFromName(`${team}\n${idempotencyKey}`) : ns.newUniqueId();
      const job = ns.get(id);
      return job.create({ id: id.toString(), team, total: rows.length, ratePerMinute, concurrency, teamRateLimitPerMinute, ...(idempotencyKey ? { idempotencyKey } : {}) }, rows);
    },
    async status(team, id) {
      return stubFor(id)?.status(team);
    },
    async report(team, id) {
      const job = stubFor(id);
      const first = await job?.report(team, 0, REPORT_PAGE);
      if (!job || !first) return undefined;
      return (async function* (): AsyncIterable<BulkJobReportLine> {
        let page = first as BulkJobReportLine[];
        while (page.length > 0) {
          yield* page;
          if (page.length < REPORT_PAGE) return;
          page = ((await job.report(team, page.at(-1)!.row, REPORT_PAGE)) ?? []) as BulkJobReportLine[];
        }
      })();
    },
    async cancel(team, id) {
      return stubFor(id)?.cancel(team);
    },
    // Nothing runs in this isolate: the Workflows run the jobs.
    async close() {},
  };
}
