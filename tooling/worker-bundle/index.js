// The deployable Worker's size, measured the way Cloudflare counts it: `wrangler deploy --dry-run`
// bundles exactly what `wrangler deploy` would upload (the app's wrangler config: minify, aliases,
// conditions), offline. Used by the edge's and the shim's budget tests and their benches.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issues 11 and 13: each Worker at most 40 KB gzip (KiB, as wrangler prints it). */
export const WORKER_BUDGET_BYTES = 40 * 1024;
/** Issue 14: the bulk-jobs Worker (the Workflow, its Durable Object, the routes) at most 50 KB gzip. */
export const JOBS_WORKER_BUDGET_BYTES = 50 * 1024;

const QUIET = { WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };

/**
 * Bundles the Worker of the app in `appDir` (its `configFile`) with `wrangler deploy --dry-run`.
 * The config's custom `build` step is left out: callers run after the app's build (turbo's test and
 * bench tasks depend on it), so the same output is bundled without building it a second time.
 * Returns the bytes of worker.js minified and gzip (level 9), wrangler's own gzip figure, and the
 * minified bytes each input contributes (from esbuild's metafile), largest first.
 */
export async function measureWorkerBundle(appDir, { configFile = 'wrangler.jsonc' } = {}) {
  const { experimental_readRawConfig } = await import(join(appDir, 'node_modules', 'wrangler', 'wrangler-dist', 'cli.js'));
  const { rawConfig } = experimental_readRawConfig({ config: join(appDir, configFile) });
  const { build: _build, $schema: _schema, ...config } = rawConfig;
  // Beside the original, so every relative path in it (main, assets, aliases) means the same.
  const derived = join(appDir, `.wrangler-bundle-${process.pid}.json`);
  const outdir = mkdtempSync(join(tmpdir(), 'worker-bundle-'));
  try {
    writeFileSync(derived, JSON.stringify(config));
    const result = spawnSync(process.execPath, [join(appDir, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--config', derived, '--outdir', outdir, '--metafile', join(outdir, 'meta.json')], {
      cwd: appDir,
      encoding: 'utf8',
      env: { ...process.env, ...QUIET },
    });
    if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed in ${appDir}:\n${result.stdout}\n${result.stderr}`);
    // Named after the config's main (src/worker.ts gives worker.js, src/jobs-worker.ts jobs-worker.js).
    const file = readdirSync(outdir).find((name) => name.endsWith('.js'));
    if (!file) throw new Error(`wrangler deploy --dry-run wrote no script to ${outdir}`);
    const worker = readFileSync(join(outdir, file));
    const reported = /gzip:\s*([\d.]+)\s*KiB/.exec(result.stdout);
    const meta = JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8'));
    const output = Object.entries(meta.outputs).find(([name]) => name.endsWith(file))?.[1];
    const inputs = Object.entries(output?.inputs ?? {})
      .map(([input, { bytesInOutput }]) => ({ input: shortName(input), bytes: bytesInOutput }))
      .filter((i) => i.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    return {
      minifiedBytes: worker.length,
      gzipBytes: gzipSync(worker, { level: 9 }).length,
      wranglerGzipBytes: reported ? Math.round(Number(reported[1]) * 1024) : undefined,
      inputs,
    };
  } finally {
    rmSync(derived, { force: true });
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** node_modules/.pnpm/hono@4.13.19/node_modules/hono/dist/x.js -> hono/dist/x.js; ../../packages/core/dist -> packages/core/dist */
function shortName(input) {
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(.*)$/.exec(input);
  if (inModules) return inModules[1];
  return input.replace(/^(?:\.\.\/)+/, '');
}

/** Bytes per package (or app source folder), for a one-screen breakdown. */
export function byPackage(inputs) {
  const groups = new Map();
  for (const { input, bytes } of inputs) {
    const parts = input.split('/');
    const key = input.startsWith('@') || input.startsWith('packages/') || input.startsWith('src/') ? parts.slice(0, 2).join('/') : parts[0];
    groups.set(key, (groups.get(key) ?? 0) + bytes);
  }
  return [...groups].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** One line, as the benches print it. */
export function describeBundle(name, { minifiedBytes, gzipBytes, wranglerGzipBytes }, budgetBytes = WORKER_BUDGET_BYTES) {
  const kb = (n) => (n / 1024).toFixed(1);
  const ok = Math.max(gzipBytes, wranglerGzipBytes ?? 0) <= budgetBytes;
  return `${name} bundle ${kb(minifiedBytes)} KB minified, ${kb(gzipBytes)} KB gzip (wrangler: ${wranglerGzipBytes === undefined ? '?' : kb(wranglerGzipBytes)} KB; target <= ${kb(budgetBytes)} KB) ${ok ? 'ok' : 'OVER'}`;
}
