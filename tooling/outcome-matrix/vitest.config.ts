import { createHash } from 'node:crypto';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';
import { KEY, TEAM_TOKEN, USER } from './src/fault-cases.js';
import './test/workerd/provided-context.js';

// Three projects: the whole matrix on Node (CLI, edge, shim), and the edge and the shim inside workerd
// (@cloudflare/vitest-pool-workers), each in front of its own simulator and fault proxy on loopback,
// started in Node by test/workerd/global-setup.ts. The edge runs as its own Worker entry (its
// wrangler config, its Durable Objects); the shim as the shim its Worker builds (createWorkerShim).
const globalSetup = ['test/workerd/global-setup.ts'];
const timeouts = { testTimeout: 180_000, hookTimeout: 60_000 };

export default vitestConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'node', exclude: ['test/workerd/**', 'node_modules/**'], ...timeouts },
      },
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: '../../apps/edge/src/worker.ts',
            wrangler: { configPath: '../../apps/edge/wrangler.jsonc' },
            miniflare: {
              bindings: {
                CLOUDAGENT_BASE_URL: inject('matrix').proxyUrl,
                CLOUDAGENT_ACCOUNTS: JSON.stringify({ [USER]: { apiKey: KEY } }),
                TEAMS: JSON.stringify([{ name: 'matrix', tokenSha256: createHash('sha256').update(TEAM_TOKEN).digest('hex'), userNames: [USER], rateLimitPerMinute: 10_000 }]),
                UPSTREAM_TIMEOUT_MS: '15000',
              },
              // The edge's wrangler.jsonc binds the bulk-jobs Worker (wrangler.jobs.jsonc); the fault
              // matrix never reaches /bulk-jobs, so a stand-in that refuses is enough for workerd to start.
              serviceBindings: { BULK_JOBS: () => new Response('bulk jobs are not part of the fault matrix', { status: 503 }) },
            },
          })),
        ],
        test: { name: 'workerd-edge', include: ['test/workerd/edge.test.ts'], exclude: ['test/*.test.ts', 'test/workerd/shim.test.ts', 'node_modules/**'], globalSetup, ...timeouts },
      },
      {
        extends: true,
        plugins: [cloudflareTest({ miniflare: { compatibilityDate: '2026-04-20', compatibilityFlags: ['nodejs_compat'] } })],
        test: { name: 'workerd-shim', include: ['test/workerd/shim.test.ts'], exclude: ['test/*.test.ts', 'test/workerd/edge.test.ts', 'node_modules/**'], globalSetup, ...timeouts },
      },
    ],
  },
});
