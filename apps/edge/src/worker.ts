import { createEdgeApp, type EdgeHono } from './app.js';
import { configFor } from './config-cache.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { assetFiles } from './static-files.js';
import { workerAppOptions } from './workers-runtime.js';

export { AccountTokens, TeamRateLimiter } from './workers-runtime.js';
export { TeamLedger } from './team-ledger.js';

const apps = new WeakMap<object, EdgeHono>();

function appFor(env: Env): EdgeHono {
  let app = apps.get(env);
  if (!app) {
    const config = configFor(env);
    app = config.ok ? createEdgeApp(workerAppOptions(env, config.config)) : createMisconfiguredApp(config.issues, { staticFiles: assetFiles(env.ASSETS) });
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
