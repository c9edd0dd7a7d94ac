import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';
import { edgeEnv } from './test/suite/fixtures.js';
import { UPSTREAM_ORIGIN } from './test/workers/constants.js';

// Two projects, one run: the suite inside workerd (the Worker entry, its Durable Objects) and on
// Node (the Node entry, node:http), plus the unit tests beside the code.
export default vitestConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            main: './src/worker.ts',
            wrangler: { configPath: './wrangler.jsonc' },
            miniflare: { bindings: edgeEnv(UPSTREAM_ORIGIN) },
          }),
        ],
        test: { name: 'workers', include: ['test/workers/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        test: { name: 'node', environment: 'node', include: ['src/**/*.test.ts', 'test/node/**/*.test.ts'], testTimeout: 20_000 },
      },
    ],
  },
});
