// Issue 15's proof on Node: counts from two separate app instances writing to one data directory
// add up exactly, and a restart loses nothing: in-process instances, and the real `pnpm start`
// server (dist/main.js) as separate processes, stopped with SIGTERM and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv } from '../../src/config.js';
import { startShim } from '../../src/node.js';
import { ADMIN_TOKEN, KEY, PATH, SEED, USER } from '../matrix.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  const steps = cleanup.reverse();
  cleanup = [];
  for (const step of steps) await step().catch(() => undefined);
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shim-durable-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function v2(): Promise<string> {
  const sim = await startSimulator({ userName: USER, apiKey: KEY, records: SEED });
  cleanup.push(() => sim.close());
  return sim.url;
}

/** A call the shim answers locally (refused before v2) or through v2, depending on `ok`. */
const call = (base: string, ok: boolean, i: number) =>
  fetch(`${base}${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=${ok ? `%2B9170000${String(i).padStart(5, '0')}` : ''}&phoneName=Desk${i}`).then((r) => r.text());

async function metrics(base: string) {
  const res = await fetch(`${base}/_shim/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ totals: { calls: number; byRoute: Record<string, number> }; v2Calls: number; accounts: { account: string; calls: number }[] }>;
}

// Real processes on a loaded two-core machine: generous time per test.
describe('durable counts on Node', { timeout: 90_000 }, () => {
  it('two app instances writing to one data directory add up exactly', async () => {
    const dir = await scratch();
    const url = await v2();
    // The account is named in the configuration, so its calls are labelled from the first one, even
    // those refused locally before CloudAgent has accepted it (see the metrics section of the README).
    const config = configFromEnv({ CLOUDAGENT_BASE_URL: url, SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_USAGE_FLUSH_MS: '5', SHIM_ACCOUNT_MODES: `${USER}=v2` });
    const a = await startShim({ config, dataDir: dir, log: () => {} });
    const b = await startShim({ config, dataDir: dir, log: () => {} });
    cleanup.push(() => a.close(), () => b.close());
    await Promise.all([
      ...Array.from({ length: 23 }, (_, i) => call(a.url, i % 3 !== 0, i)),
      ...Array.from({ length: 17 }, (_, i) => call(b.url, i % 2 === 0, 100 + i)),
    ]);
    await Promise.all([a.idle(), b.idle()]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    const fromA = await metrics(a.url);
    // 23 calls to a (15 through v2, 8 refused locally), 17 to b (9 through v2, 8 refused).
    expect(fromA.totals.calls).toBe(40);
    expect(fromA.totals.byRoute).toEqual({ v2: 24, local: 16 });
    expect(fromA.v2Calls).toBe(24);
    expect(fromA.accounts).toEqual([expect.objectContaining({ account: USER, calls: 40 })]);
    expect(await metrics(b.url)).toEqual({ ...fromA, generatedAt: expect.any(String) });
  });

  function startMain(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output: () => string; stop: () => Promise<number | null> }> {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const stop = () => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : (child.once('exit', (code) => resolve(code)), child.kill('SIGTERM'))));
    cleanup.push(stop);
    return new Promise((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
        if (m) resolve({ url: m[0], child, output: () => output, stop });
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
  }

  it('the Node server (two processes, then a restart) keeps every count in SHIM_DATA_DIR', async () => {
    const dir = await scratch();
    const env = { CLOUDAGENT_BASE_URL: await v2(), SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_DATA_DIR: dir, SHIM_USAGE_FLUSH_MS: '20000' };
    const first = await startMain(env);
    const second = await startMain(env);
    await Promise.all([...Array.from({ length: 6 }, (_, i) => call(first.url, true, i)), ...Array.from({ length: 4 }, (_, i) => call(second.url, false, i))]);
    // A long flush interval: the counts are still batched in memory; SIGTERM must write them.
    expect(await first.stop()).toBe(0);
    expect(await second.stop()).toBe(0);
    const third = await startMain(env);
    expect(third.output()).toContain(`counts in ${dir}`);
    await call(third.url, true, 50);
    const m = await metrics(third.url);
    expect(m.totals.calls).toBe(11);
    expect(m.totals.byRoute).toEqual({ v2: 7, local: 4 });
    expect(m.v2Calls).toBe(7);
    for (const out of [first.output(), second.output(), third.output()]) expect(out).not.toContain(KEY);
    expect(await third.stop()).toBe(0);
  });
});
