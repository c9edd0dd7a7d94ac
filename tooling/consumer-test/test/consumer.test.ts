// Teams consume tarballs, not our workspace links. This packs every publishable package with
// `pnpm pack` (which rewrites workspace:^ to real versions), installs the tarballs into a scratch
// project outside the workspace with plain npm, and uses them from Node the way a team would.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const publishable = ['packages/core', 'packages/transport', 'packages/simulator', 'packages/edge-client', 'apps/cli']
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

let scratch: string;

function node(script: string): string {
  const file = join(scratch, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  return execFileSync(process.execPath, [file], { cwd: scratch, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'caphone-consumer-'));
  const tarballs = publishable.map(({ dir }) => {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', scratch], { cwd: join(root, dir), encoding: 'utf8' });
    const name = out.trim().split('\n').pop()!.trim();
    return name.endsWith('.tgz') ? name : join(scratch, readdirSync(scratch).find((f) => f.endsWith('.tgz'))!);
  });
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], {
    cwd: scratch,
    encoding: 'utf8',
  });
  if (install.status !== 0) throw new Error(`npm install of the tarballs failed:\n${install.stderr}`);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('installed from tarballs', () => {
  it('packs no workspace: protocol and ships only dist, README and package.json', () => {
    for (const { pkg } of publishable) {
      const installed = JSON.parse(readFileSync(join(scratch, 'node_modules', pkg.name, 'package.json'), 'utf8'));
      expect(JSON.stringify(installed.dependencies ?? {})).not.toContain('workspace:');
      expect(existsSync(join(scratch, 'node_modules', pkg.name, 'README.md'))).toBe(true);
      expect(existsSync(join(scratch, 'node_modules', pkg.name, 'src'))).toBe(false);
    }
  });

  it('core: validates, encodes and classifies', () => {
    const out = node(`
      import { validateOperation, encodeV1, encodeV2, classify, redact } from '@cloudagent-phone/core';
      const v = validateOperation({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'Support' });
      if (!v.ok) throw new Error('invalid');
      const creds = { userName: 'acme', apiKey: 'CANARY-KEY-consumer' };
      console.log(JSON.stringify({
        v1: redact(encodeV1(v.value, creds)).url,
        v2: JSON.parse(encodeV2(v.value, creds).body),
        kind: classify({ status: 200, body: '{"status":"success","message":"record inserted successfully"}' }, 'edit').kind,
      }));
    `);
    const r = JSON.parse(out);
    expect(r.kind).toBe('success');
    expect(r.v1).toContain('phoneNumber=%2B919876543210');
    expect(r.v1).not.toContain('CANARY');
    expect(r.v2).toMatchObject({ action: 'edit', phoneNumberNew: '+919876543210', phoneNameNew: 'Support' });
  });

  it('transport + simulator: a real edit through the client against the simulator, over node:http', () => {
    const out = node(`
      import { createClient } from '@cloudagent-phone/transport';
      import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
      import { startSimulator } from '@cloudagent-phone/simulator/node';
      const sim = await startSimulator({ port: 0, apiKey: 'CANARY-KEY-consumer', records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }] });
      const logs = [];
      const log = (m, f) => logs.push(JSON.stringify([m, f]));
      const client = createClient({ userName: 'demo', apiKey: 'CANARY-KEY-consumer', baseUrl: sim.url, transport: createNodeHttpTransport(), logger: { debug: log, info: log, warn: log, error: log } });
      const edit = await client.editPhoneNumber({ phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'Support' });
      const get = await client.getPhoneNumber({ phoneNumber: '+919876543210' });
      await sim.close();
      console.log(JSON.stringify({ edit, get, logs }));
    `);
    expect(out).not.toContain('CANARY-KEY-consumer');
    const r = JSON.parse(out);
    expect(r.edit.outcome.kind).toBe('success');
    expect(r.get.outcome.data).toEqual({ phoneNumber: '+919876543210', phoneName: 'Support' });
  });

  it('edge-client: creates and looks up through a running edge (the Node edge as a process), typed and with an Idempotency-Key', () => {
    const edgeEntry = join(root, 'apps', 'edge', 'dist', 'node.js');
    const out = node(`
      import { spawn } from 'node:child_process';
      import { createHash } from 'node:crypto';
      import { createInterface } from 'node:readline';
      import { createEdgeClient } from '@cloudagent-phone/edge-client';
      import { startSimulator } from '@cloudagent-phone/simulator/node';
      const sim = await startSimulator({ port: 0, apiKey: 'CANARY-KEY-consumer', records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }] });
      const token = 'consumer-team-token-1';
      const edge = spawn(process.execPath, [${JSON.stringify(edgeEntry)}], {
        env: {
          PATH: process.env.PATH, PORT: '0',
          CLOUDAGENT_BASE_URL: sim.url,
          CLOUDAGENT_ACCOUNTS: JSON.stringify({ demo: { apiKey: 'CANARY-KEY-consumer' } }),
          TEAMS: JSON.stringify([{ name: 'consumers', tokenSha256: createHash('sha256').update(token).digest('hex'), userNames: ['demo'] }]),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const url = await new Promise((resolve, reject) => {
        edge.once('exit', (code) => reject(new Error('the edge exited with ' + code)));
        createInterface({ input: edge.stdout }).on('line', (line) => {
          const entry = JSON.parse(line);
          if (entry.msg === 'listening') resolve(entry.url);
        });
      });
      try {
        const client = createEdgeClient({ baseUrl: url, token });
        const created = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '+917001112223', phoneName: 'Desk', skill: 'General' });
        const found = await client.getPhoneNumber('+917001112223', { userName: 'demo' });
        const refused = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '+917001112223', phoneName: 'Desk' });
        console.log(JSON.stringify({ created, found, refused }));
      } finally {
        edge.kill();
        await sim.close();
      }
    `);
    expect(out).not.toContain('CANARY-KEY-consumer');
    const r = JSON.parse(out);
    expect(r.created).toMatchObject({ ok: true, status: 200, data: { outcome: 'success' } });
    expect(r.created.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.found).toMatchObject({ ok: true, data: { phoneNumber: '+917001112223', phoneName: 'Desk' } });
    expect(r.refused).toMatchObject({ ok: false, status: 409, problem: { type: 'urn:cloudagent-phone:problem:conflict' } });
  });

  it('cli: the caphone binary installs and answers, and a dry run shows the request without the key', () => {
    const bin = join(scratch, 'node_modules', '.bin', 'caphone');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(/@cloudagent-phone\/cli\/0\.\d+\.\d+/);
    const out = execFileSync(
      bin,
      ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Support', '--dry-run', '--json'],
      { encoding: 'utf8', env: { ...process.env, CLOUDAGENT_API_KEY: 'CANARY-KEY-consumer', CLOUDAGENT_USERNAME: 'demo', CLOUDAGENT_BASE_URL: 'http://127.0.0.1:9' } },
    );
    expect(out).not.toContain('CANARY-KEY-consumer');
    const envelope = JSON.parse(out);
    expect(envelope.request.url).toBe('http://127.0.0.1:9/ca_apis/PhoneManageV2');
    expect(JSON.parse(envelope.request.body)).toMatchObject({ action: 'edit', phoneNumber: '+919876543210', phoneNameNew: 'Support' });
  });

  it('types resolve for TypeScript consumers (exports map points at real .d.ts files)', () => {
    for (const { pkg } of publishable) {
      const installed = JSON.parse(readFileSync(join(scratch, 'node_modules', pkg.name, 'package.json'), 'utf8'));
      for (const [entry, target] of Object.entries<Record<string, string> | string>(installed.exports ?? {})) {
        if (typeof target === 'string') continue;
        expect(existsSync(join(scratch, 'node_modules', pkg.name, target.types!)), `${pkg.name} ${entry} types`).toBe(true);
        expect(existsSync(join(scratch, 'node_modules', pkg.name, target.default!)), `${pkg.name} ${entry} code`).toBe(true);
      }
    }
  });
});
