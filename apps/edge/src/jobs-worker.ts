import { createJsonLogger } from '@cloudagent-phone/server';
import { createBaseApp, type EdgeHono } from './app.js';
import { bulkJobRoutes } from './bulk-jobs/routes.js';
import { durableBulkJobs } from './bulk-jobs/workers/durable-jobs.js';
import type { JobsEnv } from './bulk-jobs/workers/jobs-env.js';
import { configFor } from './config-cache.js';
import { csvRecords } from './csv-records.js';
import { jobRateFrom } from './job-rate-config.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { authenticateTeam, limitTeamRate } from './team-auth.js';
import { durableRateLimiter } from './workers-runtime.js';

export { BulkJob } from './bulk-jobs/workers/job-object.js';
export { BulkJobWorkflow } from './bulk-jobs/workers/workflow.js';

/**
 * The bulk-jobs Worker (wrangler.jobs.jsonc): the /bulk-jobs routes, each job's Durable Object and
 * its Workflow, in a script of their own so the edge Worker keeps its 40 KB budget. The edge
 * Worker hands it every /bulk-jobs request over a service binding (worker.ts); it checks the team
 * token itself, from the same TEAMS, and counts in the edge's TeamRateLimiter (script_name).
 */
const apps = new WeakMap<object, EdgeHono>();

function appFor(env: JobsEnv): EdgeHono {
  let app = apps.get(env);
  if (!app) {
    const config = configFor(env);
    const rate = jobRateFrom(env);
    if (!config.ok || !rate.ok) {
      app = createMisconfiguredApp([...(config.ok ? [] : config.issues), ...(rate.ok ? [] : rate.issues)]);
    } else {
      const { config: edge } = config;
      const logger = createJsonLogger({ secrets: [...edge.accounts.values()].map((a) => a.apiKey) });
      app = createBaseApp(logger, { corsOrigins: edge.corsOrigins });
      const authenticate = authenticateTeam(edge.teams);
      const rateLimit = limitTeamRate(durableRateLimiter(env as unknown as Env));
      app.route(
        '/bulk-jobs',
        bulkJobRoutes({
          config: edge,
          jobs: durableBulkJobs(env),
          teamAuth: (c, next) => authenticate(c, () => rateLimit(c, next)),
          parseCsv: csvRecords,
          ...(rate.ratePerMinute !== undefined ? { ratePerMinute: rate.ratePerMinute } : {}),
        }) as unknown as EdgeHono,
      );
    }
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<JobsEnv>;
