import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';
import { edgeEnv } from './test/suite/fixtures.js';
import './test/workers/provided-context.js';

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
            miniflare: { bindings: edgeEnv(inject('upstream').url) },
          })),
        ],
        test: { name: 'workers', include: ['test/workers/**/*.test.ts'], testTimeout: 20_000, globalSetup: ['test/workers/global-setup.ts'] },
      },
      {
        test: { name: 'node', environment: 'node', include: ['src/**/*.test.ts', 'test/node/**/*.test.ts'], testTimeout: 20_000 },
      },
    ],
  },
});
