import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';
import { edgeEnv } from './test/suite/fixtures.js';
import { jobsEnv } from './test/workers-jobs/fixtures.js';
import './test/workers/provided-context.js';
import './test/workers-jobs/provided-context.js';

// Two projects, one run: the suite inside workerd (the Worker entry, its Durable Objects, the socket
// transport) and on Node (the Node entry, node:http), plus the unit tests beside the code. Both talk
// to the simulators on a loopback port; for workerd, test/workers/global-setup.ts starts them in
// Node and provides their address, which becomes the Worker's CLOUDAGENT_BASE_URL.
export default vitestConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/worker.ts',
            wrangler: { configPath: './wrangler.jsonc' },
            miniflare: {
              bindings: edgeEnv(inject('upstream').url),
              // Stands in for the bulk-jobs Worker (its own project below): says what reached it.
              serviceBindings: {
                BULK_JOBS: async (request: Request) =>
                  Response.json({ forwardedTo: 'bulk-jobs', method: request.method, url: request.url, authorization: request.headers.get('authorization'), body: await request.text() }, { status: 299 }),
              },
            },
          })),
        ],
        test: { name: 'workers', include: ['test/workers/**/*.test.ts'], testTimeout: 20_000, globalSetup: ['test/workers/global-setup.ts'] },
      },
      {
        // The bulk-jobs Worker (wrangler.jobs.jsonc): its Durable Object and its Workflow, with the
        // edge Worker's TeamRateLimiter and AccountTokens served by the script under test.
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './test/workers-jobs/worker-under-test.ts',
            wrangler: { configPath: './wrangler.jobs.jsonc' },
            miniflare: {
              bindings: jobsEnv(inject('simulator').url),
              durableObjects: { TEAM_RATE_LIMITER: 'TeamRateLimiter', ACCOUNT_TOKENS: 'AccountTokens' },
            },
          })),
        ],
        test: { name: 'workers-jobs', include: ['test/workers-jobs/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 60_000, globalSetup: ['test/workers-jobs/global-setup.ts'] },
      },
      {
        test: { name: 'node', environment: 'node', include: ['src/**/*.test.ts', 'test/node/**/*.test.ts'], testTimeout: 20_000 },
      },
    ],
  },
});
