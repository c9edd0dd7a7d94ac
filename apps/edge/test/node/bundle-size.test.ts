// Issue 13's budget as a test, not a timed one: the deployable Worker, bundled by
// `wrangler deploy --dry-run` from wrangler.jsonc (minified), must be at most 40 KB gzip. A byte
// ceiling, so weight cannot come back silently; `pnpm bench` prints the same figure. Runs after
// the build (turbo's test task depends on it) and bundles once, without building again.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byPackage, measureWorkerBundle, WORKER_BUDGET_BYTES } from '@cloudagent-phone/worker-bundle';

const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('the edge Worker bundle', () => {
  it('is at most 40 KB gzip as wrangler deploy --dry-run bundles it', { timeout: 300_000 }, async () => {
    const bundle = await measureWorkerBundle(APP_DIR);
    // What is in it, for whoever has to make room (largest first).
    const breakdown = byPackage(bundle.inputs).map(({ name, bytes }) => `${name} ${bytes}`).join(', ');
    expect(bundle.inputs.length, 'the metafile lists the inputs').toBeGreaterThan(10);
    expect(bundle.gzipBytes, `gzip -9 of worker.js; minified bytes by input: ${breakdown}`).toBeLessThanOrEqual(WORKER_BUDGET_BYTES);
    expect(bundle.wranglerGzipBytes, 'the gzip size wrangler itself reports').toBeDefined();
    expect(bundle.wranglerGzipBytes!, `wrangler's gzip figure; minified bytes by input: ${breakdown}`).toBeLessThanOrEqual(WORKER_BUDGET_BYTES);
  });
});
