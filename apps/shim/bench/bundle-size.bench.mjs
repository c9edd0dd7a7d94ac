// `pnpm bench`: the deployable shim Worker's size, as `wrangler deploy --dry-run` bundles it
// (wrangler.jsonc: minified), gzip level 9. Target: at most 40 KB gzip. Offline: nothing is uploaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = mkdtempSync(join(tmpdir(), 'shim-bundle-'));
try {
  const result = spawnSync('pnpm', ['exec', 'wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true', CI: 'true' },
  });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stderr}`);
  const bytes = readFileSync(join(outdir, 'worker.js'));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  console.log(`shim bundle worker.js ${(bytes.length / 1024).toFixed(1)} KB minified, ${(gzip / 1024).toFixed(1)} KB gzip (target <= 40 KB) ${gzip <= 40 * 1024 ? 'ok' : 'OVER'}`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
