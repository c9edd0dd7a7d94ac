import { createEdgeApp, type EdgeHono } from './app.js';
import { configFor } from './config-cache.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { workerAppOptions } from './workers-runtime.js';

export { AccountTokens, TeamRateLimiter } from './workers-runtime.js';

const apps = new WeakMap<object, EdgeHono>();

function appFor(env: Env): EdgeHono {
  let app = apps.get(env);
  if (!app) {
    const config = configFor(env);
    app = config.ok ? createEdgeApp(workerAppOptions(env, config.config)) : createMisconfiguredApp(config.issues);
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request, env, ctx) {
    return appFor(env).fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
