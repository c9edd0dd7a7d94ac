// What each input of a Worker costs in gzip bytes, which minified bytes do not say: text repeated
// elsewhere in the bundle is nearly free under gzip, unique text is not, and a module's place
// decides what gzip's window sees beside it. Measured by deletion: wrangler bundles the Worker
// unminified (`--no-minify`, the app's own config otherwise), each input's sections (esbuild marks
// them `// path`) are deleted in turn, the rest is minified with wrangler's own esbuild and the gzip
// -9 difference is that input's share. The shares add up to about the whole, not exactly: gzip is
// not additive. Slow (one minify per input, a few seconds in all): for benches and for whoever has
// to make room, never for a test's ceiling (measureWorkerBundle is that).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const QUIET = { WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' };
const SECTION = /^\/\/ ((?:\.\.\/|src\/).*)$/;

/**
 * The gzip -9 share of each input of the Worker in `appDir` (its `configFile`), largest first,
 * with the whole bundle's figure as esbuild minifies it here (`totalGzipBytes`, within a few dozen
 * bytes of measureWorkerBundle's). Run after the app's build, as measureWorkerBundle is.
 */
export async function gzipShares(appDir, { configFile = 'wrangler.jsonc' } = {}) {
  const wranglerDir = realpathSync(join(appDir, 'node_modules', 'wrangler'));
  // wrangler's own esbuild (a sibling in pnpm's store), so the minifier is the one that deploys.
  const esbuild = createRequire(join(wranglerDir, 'package.json'))('esbuild');
  const { experimental_readRawConfig } = await import(join(wranglerDir, 'wrangler-dist', 'cli.js'));
  const { rawConfig } = experimental_readRawConfig({ config: join(appDir, configFile) });
  const { build: _build, $schema: _schema, ...config } = rawConfig;
  const derived = join(appDir, `.wrangler-shares-${process.pid}.json`);
  const outdir = mkdtempSync(join(tmpdir(), 'worker-shares-'));
  let source;
  try {
    writeFileSync(derived, JSON.stringify(config));
    const result = spawnSync(process.execPath, [join(wranglerDir, 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--no-minify', '--config', derived, '--outdir', outdir], {
      cwd: appDir,
      encoding: 'utf8',
      env: { ...process.env, ...QUIET },
    });
    if (result.status !== 0) throw new Error(`wrangler deploy --dry-run --no-minify failed in ${appDir}:\n${result.stdout}\n${result.stderr}`);
    source = readFileSync(join(outdir, 'worker.js'), 'utf8');
  } finally {
    rmSync(derived, { force: true });
    rmSync(outdir, { recursive: true, force: true });
  }
  // An export of a deleted class would not minify; kept alive as globals instead, they still count.
  const kept = source.replace(/^export\s*\{([^}]*)\};?$/m, (_, names) => `globalThis.__kept = [${names.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean).join(', ')}];`);
  const lines = kept.split('\n');
  const sections = new Map();
  let current = 'bundle';
  lines.forEach((line, index) => {
    const match = SECTION.exec(line);
    if (match) current = shortName(match[1]);
    if (!sections.has(current)) sections.set(current, new Set());
    sections.get(current).add(index);
  });
  const gzipOf = (code) => gzipSync(esbuild.transformSync(code, { minify: true, format: 'esm', loader: 'js' }).code, { level: 9 }).length;
  const totalGzipBytes = gzipOf(lines.join('\n'));
  const shares = [];
  for (const [input, indexes] of sections) {
    if (input === 'bundle') continue;
    shares.push({ input, bytes: totalGzipBytes - gzipOf(lines.filter((_, i) => !indexes.has(i)).join('\n')) });
  }
  return { totalGzipBytes, shares: shares.sort((a, b) => b.bytes - a.bytes) };
}

/** ../../node_modules/.pnpm/hono@4.13.19/node_modules/hono/dist/x.js -> hono/dist/x.js; ../../packages/core/dist -> packages/core/dist */
function shortName(input) {
  const inModules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(.*)$/.exec(input);
  if (inModules) return inModules[1];
  return input.replace(/^(?:\.\.\/)+/, '');
}
