#!/usr/bin/env node
// The quick start's main job. Once the CLI's demo exists it runs that (a real `caphone phone edit`
// against the embedded simulator); until then it shows core at work.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDemo = join(root, 'apps', 'cli', 'scripts', 'demo.mjs');
if (existsSync(cliDemo)) {
  const r = spawnSync(process.execPath, [cliDemo, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const core = await import(join(root, 'packages', 'core', 'dist', 'index.js'));
const input = { action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNumberNew: '+919876543211', phoneNameNew: 'Support', assignSkill: 'General' };
const checked = core.validateOperation(input);
console.log('validate:', checked);
const creds = { userName: 'demo', apiKey: 'demo-key' };
console.log('v1:', core.redact(core.encodeV1(checked.value, creds)));
console.log('v2:', core.redact(core.encodeV2(checked.value, creds)));
console.log('classify:', core.classify({ status: 200, body: '{"status":"success","message":"record inserted successfully"}' }, 'edit'));
