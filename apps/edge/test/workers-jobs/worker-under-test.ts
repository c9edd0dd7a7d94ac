// The bulk-jobs Worker as tests run it: its own entry, plus the edge Worker's two Durable Objects
// it binds with script_name in production (wrangler.jobs.jsonc), here served by the same script
// (vitest.config.ts points those bindings at these classes).
export * from '../../src/jobs-worker.js';
export { default } from '../../src/jobs-worker.js';
export { AccountTokens, TeamRateLimiter } from '../../src/workers-runtime.js';
