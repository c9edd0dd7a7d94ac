import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';

// Two projects: everything on Node, and the socket transport's contract run inside workerd
// (@cloudflare/vitest-pool-workers), against a real server on loopback that the global setup starts
// on the Node side (workerd cannot listen) and passes in with `provide`. `extends: true` keeps the
// shared reporters and concatenates `include`, hence the excludes.
export default vitestConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'node', exclude: ['test/workerd/**', 'node_modules/**'] },
      },
      {
        extends: true,
        plugins: [
          cloudflareTest({
            // The edge's date, so the run sees the runtime the apps deploy to.
            miniflare: { compatibilityDate: '2026-04-20', compatibilityFlags: ['nodejs_compat'] },
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          exclude: ['src/**', 'test/*.test.ts', 'node_modules/**'],
          globalSetup: ['test/workerd/global-setup.ts'],
        },
      },
    ],
  },
});
