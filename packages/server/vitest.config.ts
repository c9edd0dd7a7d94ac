import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { vitestConfig } from '../../vitest.shared.js';

// Two projects: everything on Node, and the token holder's contracts inside workerd
// (@cloudflare/vitest-pool-workers) against the AccountTokens Durable Object that
// test/workerd/worker.ts exports. `extends: true` keeps the shared reporters and concatenates
// `include`, hence the excludes.
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
            main: './test/workerd/worker.ts',
            // The apps' date, so the run sees the runtime they deploy to.
            miniflare: {
              compatibilityDate: '2026-04-20',
              compatibilityFlags: ['nodejs_compat'],
              durableObjects: { ACCOUNT_TOKENS: { className: 'AccountTokens', useSQLite: true } },
            },
          }),
        ],
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          exclude: ['src/**', 'test/*.test.ts', 'node_modules/**'],
        },
      },
    ],
  },
});
