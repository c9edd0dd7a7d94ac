#!/usr/bin/env node
// The quick start: a local CloudAgent (the simulator, in this process, on a free port), then the
// real `caphone` binary run against it, each command printed with its output. No account, no
// network. Needs the CLI built (`pnpm exec turbo run build --filter=@cloudagent-phone/cli...`).
//
//   node apps/cli/scripts/demo.mjs          (from the repository root)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@cloudagent-phone/simulator/node';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(cliRoot, 'bin', 'run.cjs');

const user = 'demo';
const apiKey = 'demo-sandbox-key';
const simulator = await startSimulator({
  port: 0,
  userName: user,
  apiKey,
  records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }],
});

// A scratch config dir, so a profile on this machine cannot redirect the demo anywhere else.
const scratch = mkdtempSync(join(tmpdir(), 'caphone-demo-'));
const env = { ...process.env, CLOUDAGENT_BASE_URL: simulator.url, CLOUDAGENT_USERNAME: user, CLOUDAGENT_API_KEY: apiKey };
for (const name of ['CLOUDAGENT_REGION', 'CLOUDAGENT_API_VERSION', 'CLOUDAGENT_AUTH', 'CAPHONE_PROFILE']) delete env[name];
Object.assign(env, { CAPHONE_CONFIG_DIR: join(scratch, 'config'), CAPHONE_CACHE_DIR: join(scratch, 'cache'), OCLIF_DISABLE_UPDATE_CHECK: '1' });

function caphone(args) {
  const shown = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ');
  process.stdout.write(`\n$ caphone ${shown}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const steps = [
  ['phone', 'get', '--number', '+919876543210'],
  ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-number', '+919812345678', '--new-name', 'Sales_North', '--assign-skill', 'General'],
  ['phone', 'get', '--number', '+919812345678'],
];

let failed = 0;
try {
  process.stdout.write(`CloudAgent sandbox (the simulator) on ${simulator.url}, user "${user}", one number: +919876543210 "Sales"\n`);
  process.stdout.write(`Every command below is the real caphone binary with CLOUDAGENT_BASE_URL=${simulator.url}\n`);
  for (const step of steps) {
    const code = await caphone(step);
    if (code !== 0) {
      failed = code;
      process.stderr.write(`demo: caphone exited ${code}\n`);
      break;
    }
  }
  if (!failed) {
    const applied = simulator.control.applyCount();
    process.stdout.write(`\nThe sandbox applied ${applied} change(s). Try it yourself: node ${join('apps', 'cli', 'bin', 'run.cjs')} sandbox\n`);
  }
} finally {
  await simulator.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = failed;
