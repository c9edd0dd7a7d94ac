import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';

// Two projects: the shim on Node (src/**, test/node/**) and the Worker build inside workerd
// (test/workerd/**) through @cloudflare/vitest-pool-workers, with wrangler.dev.jsonc (the shim plus
// the simulator in the same isolate) as the main Worker. `extends: true` keeps the shared reporters,
// and concatenates `include` with the shared one, hence the excludes. For workerd, global-setup.ts
// starts v2 and legacy simulators on loopback ports (Node side) for the socket transport to reach.
export default vitestConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/node/**/*.test.ts'], exclude: ['test/workerd/**', 'node_modules/**'] },
      },
      {
        extends: true,
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.dev.jsonc' } })],
        test: { name: 'workerd', include: ['test/workerd/**/*.test.ts'], exclude: ['src/**', 'test/node/**', 'node_modules/**'], globalSetup: ['test/workerd/global-setup.ts'] },
      },
    ],
  },
});
