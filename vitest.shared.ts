// Every package's vitest config starts from this: tests beside the code, and a JSON report that
// scripts/bootstrap.mjs adds up into the closing "N passed, N failed" line CI reads.
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

export function vitestConfig(overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
        testTimeout: 20_000,
      },
    }),
    overrides,
  );
}
