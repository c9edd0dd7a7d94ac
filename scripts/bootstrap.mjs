#!/usr/bin/env node
// The two quick-start commands (`npm run demo`, `npm test`) must work on a fresh clone that has only
// Node and npm. This script finds the pinned pnpm (or installs it into .tools/, never globally),
// installs the workspace, then runs the requested job through turbo.
//
// Why not corepack: the registry reachable from our machines serves no signatures, so corepack fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeTestResults } from './test-totals.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsDir = join(root, '.tools');
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  OCLIF_DISABLE_UPDATE_CHECK: '1',
};

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function versionOf(cmd) {
  const r = spawnSync(cmd, ['--version'], { env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function ensurePnpm() {
  const local = join(toolsDir, 'node_modules', '.bin');
  if (existsSync(join(local, 'pnpm')) && versionOf(join(local, 'pnpm')) === pinned) {
    env.PATH = `${local}${delimiter}${env.PATH}`;
    return;
  }
  if (versionOf('pnpm') === pinned) return;
  console.error(`[bootstrap] installing pnpm@${pinned} into .tools/ (one time)`);
  run('npm', ['install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pinned}`]);
  env.PATH = `${local}${delimiter}${env.PATH}`;
}

// Each package's vitest writes test-results.json (vitest.shared.ts); scripts/test-totals.mjs adds
// them up into the closing lines CI reads, the last one "N passed, N failed".
function printTotals() {
  const { failed, passed } = summarizeTestResults(root, console.log);
  if (failed > 0 || passed === 0) process.exit(1);
}

const job = process.argv[2];
const rest = process.argv.slice(3);
ensurePnpm();
// CI=true makes pnpm install frozen; locally we also insist on the committed lock being honoured.
run('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only', '--loglevel=warn']);

switch (job) {
  case 'test':
    run('pnpm', ['exec', 'turbo', 'run', 'build', 'lint', 'test', '--output-logs=new-only', '--continue', ...rest]);
    printTotals();
    break;
  case 'bench':
    run('pnpm', ['exec', 'turbo', 'run', 'bench', '--concurrency=1', ...rest]);
    break;
  case 'pack': {
    // Build what is published, then one tarball per package into packs/ (scripts/pack.mjs).
    const filters = ['@cloudagent-phone/core', '@cloudagent-phone/transport', '@cloudagent-phone/simulator', '@cloudagent-phone/cli'].map((name) => `--filter=${name}`);
    run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only']);
    run('node', [join(root, 'scripts', 'pack.mjs'), ...rest]);
    console.error('[pack] install the CLI with: npm install -g ./packs/cloudagent-phone-cli-*.tgz');
    break;
  }
  case 'edge':
  case 'shim':
    // Build the server and the simulator it starts behind it, then run it (scripts/serve.mjs).
    run('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=@cloudagent-phone/${job}`, '--filter=@cloudagent-phone/simulator', '--output-logs=errors-only']);
    run('node', [join(root, 'scripts', 'serve.mjs'), job, ...rest]);
    break;
  case 'demo':
    run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@cloudagent-phone/cli...', '--output-logs=errors-only']);
    run('node', [join(root, 'scripts', 'demo.mjs'), ...rest]);
    break;
  default:
    console.error(`usage: node scripts/bootstrap.mjs <demo|test|bench|pack|edge|shim>`);
    process.exit(2);
}
