import { createEdgeApp, type EdgeHono } from './app.js';
import { parseConfig } from './config.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { assetFiles } from './static-files.js';
import { workerAppOptions } from './workers-runtime.js';

export { AccountTokens, TeamRateLimiter } from './workers-runtime.js';
export { TeamLedger } from './team-ledger.js';

// The environment object is the same for every request an isolate serves: its app (and so its
// parsed configuration) is built once per environment.
const apps = new WeakMap<object, EdgeHono>();

function appFor(env: Env): EdgeHono {
  let app = apps.get(env);
  if (!app) {
    const config = parseConfig(env);
    app = config.ok ? createEdgeApp(workerAppOptions(env, config.config)) : createMisconfiguredApp(config.issues, { staticFiles: assetFiles(env.ASSETS) });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request, env, ctx) {
    // Bulk jobs live in the bulk-jobs Worker (src/jobs-worker.ts, wrangler.jobs.jsonc), which checks
    // the team token itself: the request goes to it as it came, body unread. (wrangler.jsonc binds
    // BULK_JOBS; a deploy without that Worker is refused, so the binding is always there.)
    if (new URL(request.url).pathname.startsWith('/bulk-jobs')) return env.BULK_JOBS.fetch(request);
    return appFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
