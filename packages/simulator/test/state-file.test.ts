import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/node.js';
import { writeStateFile } from '../src/state-file.js';
import { KEY, USER } from './helpers.js';
import { httpRequest } from './http.js';

let dir: string;
let sim: RunningSimulator | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const headers = { 'content-type': 'application/json', apiKey: KEY };
const create = (url: string, n: number) =>
  httpRequest(`${url}/ca_apis/PhoneManageV2`, 'POST', headers, JSON.stringify({ action: 'create', userName: USER, phoneNumber: `555${String(n).padStart(4, '0')}`, phoneName: `Agent${n}` }));

describe('stateFile', () => {
  it('persists records and the applied log across a restart', async () => {
    const file = join(dir, 'state.json');
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file, records: [{ phoneNumber: '9876543210', phoneName: 'Desk1' }] });
    await create(sim.url, 1);
    await sim.close();
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file, records: [] });
    expect(sim.control.records().map((r) => r.phoneNumber).sort()).toEqual(['5550001', '9876543210']);
    expect(sim.control.applyCount()).toBe(1);
    // The duplicate check sees the persisted record.
    expect(JSON.parse((await create(sim.url, 1)).text)).toEqual({ status: 'error', message: 'phone_name or phone_number already exist' });
  });

  it('keeps a live token across a restart (a token account does not lose its session)', async () => {
    const file = join(dir, 'state.json');
    sim = await startSimulator({ userName: USER, apiKey: KEY, auth: 'token', stateFile: file });
    const t = JSON.parse((await httpRequest(`${sim.url}/ca_apis/CAToken/generateToken`, 'POST', headers, JSON.stringify({ userName: USER }))).text).token as string;
    await sim.close();
    sim = await startSimulator({ userName: USER, apiKey: KEY, auth: 'token', stateFile: file, records: [{ phoneNumber: '9876543210', phoneName: 'Desk1' }] });
    const r = await httpRequest(`${sim.url}/ca_apis/PhoneManageV2`, 'GET', { 'content-type': 'application/json', authorization: `Bearer ${t}` }, JSON.stringify({ action: 'get', userName: USER, phoneName: 'nobody' }));
    expect(JSON.parse(r.text)).toEqual({ status: 'error', message: 'phoneName does not exist' });
  });

  it('is valid JSON after many writes, and no temp file is left behind', async () => {
    const file = join(dir, 'state.json');
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file });
    await Promise.all(Array.from({ length: 60 }, (_, i) => create(sim!.url, i)));
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.records).toHaveLength(60);
    expect(saved.applied).toHaveLength(60);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('ignores a leftover temp file from a crash mid-write', async () => {
    const file = join(dir, 'state.json');
    writeStateFile(file, { version: 1, records: [{ phoneNumber: '5550001', phoneName: 'Kept', skills: [] }], tokens: { generatedAt: [] }, applied: [] });
    // What a crash between write and rename leaves: a torn temp file beside the real one.
    writeFileSync(join(dir, '.state.json.999.1.tmp'), '{"version":1,"records":[{"phoneNu');
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file });
    expect(sim.control.records()).toEqual([{ phoneNumber: '5550001', phoneName: 'Kept', skills: [] }]);
  });

  it('refuses a file that is not a simulator state file, rather than starting empty over it', async () => {
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"hello":"world"}');
    await expect(startSimulator({ stateFile: file })).rejects.toThrow(/not a simulator state file/);
    expect(readFileSync(file, 'utf8')).toBe('{"hello":"world"}');
  });

  it('never writes the API key into the file', async () => {
    const file = join(dir, 'state.json');
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file });
    await create(sim.url, 1);
    expect(readFileSync(file, 'utf8')).not.toContain(KEY);
  });
});

describe('stateFile under a crash', () => {
  it('a process killed (SIGKILL) in the middle of writing leaves a valid, loadable file', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const { build } = await import('tsdown');
    // The child runs the source, bundled here (Node 20 cannot run TypeScript), so the test needs no prior build.
    const pkg = fileURLToPath(new URL('..', import.meta.url));
    const outDir = join(dir, 'writer');
    await build({ cwd: pkg, entry: ['test/fixtures/crash-writer.ts'], outDir, platform: 'node', format: 'esm', dts: false, config: false, sourcemap: false, logLevel: 'silent', noExternal: [/^(?!node:)/] });
    const file = join(dir, 'state.json');
    const child = spawn(process.execPath, [join(outDir, 'crash-writer.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      child.stdout.on('data', (d: Buffer) => {
        if (Number(d.toString().trim().split('\n').at(-1)) >= 150) resolve();
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.records.length).toBeGreaterThanOrEqual(150);
    expect(saved.applied).toHaveLength(saved.records.length);
    sim = await startSimulator({ userName: 'u', apiKey: 'k', stateFile: file });
    expect(sim.control.records()).toHaveLength(saved.records.length);
  });
});
