// The fault matrix: every fault the simulator and a fault-injecting proxy can produce on one edit
// x the CLI over v1, the CLI over v2, the edge and the shim, all on Node over loopback sockets.
// The truth comes from the simulator's state, never from the answer: every answer must say what
// happened (applied yes or no), nothing may be sent twice, and no answer may stay "unknown" where a
// read-back settles it (on Node every component reads back over node:http). The same matrix runs
// with the edge and the shim inside workerd in test/workerd (over the socket transport).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startShim, configFromEnv, type RunningShim } from '@cloudagent-phone/shim/node';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeEdge, type StartedEdge } from '../../../apps/edge/src/node-runtime.js';
import { FAULTS, KEY, TEAM_TOKEN, USER, numberOf, type Claim } from '../src/fault-cases.js';
import { startFaultProxy, type FaultProxy } from '../src/fault-proxy.js';

const CLI_BIN = fileURLToPath(new URL('../../../apps/cli/bin/run.cjs', import.meta.url));

const CLIENTS = ['cli-v1', 'cli-v2', 'edge', 'shim'] as const;
type Client = (typeof CLIENTS)[number];

const CASES = FAULTS.flatMap((fault, f) => CLIENTS.map((client, c) => ({ fault, client, n: f * CLIENTS.length + c })));
const SEED = CASES.map(({ n }) => ({ phoneNumber: numberOf(n), phoneName: `Old_${n}` }));

let sim: RunningSimulator;
let proxy: FaultProxy;
let edge: StartedEdge;
let shim: RunningShim;
let scratch: string;
const results: { fault: string; client: Client; claim: Claim; applied: boolean; sends: number }[] = [];

beforeAll(async () => {
  sim = await startSimulator({ userName: USER, apiKey: KEY, records: SEED, phoneNumberLimit: 10_000 });
  proxy = await startFaultProxy(sim.url);
  edge = await startNodeEdge(
    {
      CLOUDAGENT_BASE_URL: proxy.url,
      CLOUDAGENT_ACCOUNTS: JSON.stringify({ [USER]: { apiKey: KEY } }),
      TEAMS: JSON.stringify([{ name: 'matrix', tokenSha256: createHash('sha256').update(TEAM_TOKEN).digest('hex'), userNames: [USER], rateLimitPerMinute: 10_000 }]),
      UPSTREAM_TIMEOUT_MS: '15000',
    },
    { port: 0, logSink: () => {} },
  );
  shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: proxy.url, SHIM_TIMEOUT_MS: '15000' }), log: () => {} });
  scratch = mkdtempSync(join(tmpdir(), 'outcome-matrix-'));
});

afterAll(async () => {
  await Promise.allSettled([edge?.close(), shim?.close()]);
  await proxy?.close();
  await sim?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  // Counts printed, as a benchmark would: fault x client -> what the answer said.
  const table = FAULTS.map((f) => {
    const row: Record<string, string> = { fault: f.name, truth: f.applies ? 'applied' : 'not applied' };
    for (const client of CLIENTS) {
      const r = results.find((x) => x.fault === f.name && x.client === client);
      row[client] = r ? `${r.claim}${r.sends > 1 ? ` (sent ${r.sends}x!)` : ''}` : '-';
    }
    return row;
  });
  console.table(table);
  const count = (claim: Claim) => results.filter((r) => r.claim === claim).length;
  console.log(`fault matrix: ${results.length} answers; applied yes ${count('yes')}, no ${count('no')}, unknown ${count('unknown')}; sent twice ${results.filter((r) => r.sends > 1).length}`);
});

/** The CLI's environment: this simulator (through the proxy), no profile, nothing of the outer shell. */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CLOUDAGENT_|CAPHONE_|DEBUG$|FORCE_COLOR$|NODE_ENV$)/.test(k)) env[k] = v;
  return { ...env, HOME: scratch, XDG_CONFIG_HOME: scratch, XDG_CACHE_HOME: scratch, CLOUDAGENT_BASE_URL: proxy.url, CLOUDAGENT_USERNAME: USER, CLOUDAGENT_API_KEY: KEY };
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Sends the case's edit through one client; returns what the answer says about it, and the raw answer. */
async function editThrough(client: Client, n: number): Promise<{ claim: Claim; raw: string }> {
  const phoneNumber = numberOf(n);
  const [oldName, newName] = [`Old_${n}`, `New_${n}`];
  if (client === 'cli-v1' || client === 'cli-v2') {
    const run = await runCli(['phone', 'edit', '--number', phoneNumber, '--name', oldName, '--new-name', newName, '--json', '--api', client === 'cli-v1' ? 'v1' : 'v2']);
    const envelope = JSON.parse(run.stdout) as { result: { applied: Claim | null; sent: boolean } };
    const claim = envelope.result.applied ?? 'unknown';
    // Every fault here lets the edit leave (it reaches the proxy or the simulator): sent, whatever the answer.
    expect(envelope.result.sent, run.stdout).toBe(true);
    // The exit code says the same as the envelope.
    if (claim === 'yes') expect(run.code).toBe(0);
    if (claim === 'unknown') expect(run.code).toBe(8);
    if (claim === 'no') expect([0, 6, 8]).not.toContain(run.code);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    return { claim, raw: run.stdout };
  }
  if (client === 'edge') {
    const response = await fetch(`${edge.url}/phone-numbers/${encodeURIComponent(phoneNumber)}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TEAM_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userName: USER, phoneName: oldName, phoneNameNew: newName }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { applied?: Claim };
    if (body.applied === 'yes') expect(response.status).toBe(200);
    return { claim: body.applied ?? 'unknown', raw: text };
  }
  const query = new URLSearchParams({ action: 'edit', userName: USER, apiKey: KEY, phoneNumber, phoneName: oldName, phoneNumberNew: phoneNumber, PhoneNameNew: newName });
  const response = await fetch(`${shim.url}/CAServices/PhoneManageV2.php?${query}`);
  const text = await response.text();
  const header = response.headers.get('x-shim-outcome');
  const body = JSON.parse(text) as { status: string; message: string };
  const claim: Claim = header === 'unknown' ? 'unknown' : header === 'not-applied' ? 'no' : body.status === 'success' ? 'yes' : 'no';
  expect(text).not.toContain(KEY);
  return { claim, raw: `${response.status} ${header ?? ''} ${text}` };
}

describe('fault matrix: every answer matches what happened', () => {
  it.each(CASES.map((c) => [c.fault.name, c.client, c] as const))('%s x %s', async (_fault, _client, { fault, client, n }) => {
    sim.control.setFaults(fault.sim ? { queue: [fault.sim], actions: ['edit'] } : {});
    proxy.next(fault.proxy);
    const injectedBefore = proxy.injected();
    const { claim, raw } = await editThrough(client, n);
    sim.control.setFaults({});
    proxy.next(undefined);
    // The fault really happened to this edit.
    expect(proxy.injected() - injectedBefore).toBe(fault.proxy ? 1 : 0);
    if (fault.sim) expect(sim.control.calls().some((call) => call.params.phoneNumber === numberOf(n) && call.fault === fault.sim?.kind)).toBe(true);

    const phoneNumber = numberOf(n);
    const applied = sim.control.records().find((r) => r.phoneNumber === phoneNumber)?.phoneName === `New_${n}`;
    const sends = sim.control.calls().filter((call) => call.action === 'edit' && call.params.phoneNumber === phoneNumber).length;
    results.push({ fault: fault.name, client, claim, applied, sends });

    expect(applied, 'the fault did what it says').toBe(fault.applies);
    expect(sends, 'sent at most once').toBeLessThanOrEqual(1);
    expect(claim, `a read-back settles it, so the answer is definite: ${raw}`).not.toBe('unknown');
    expect(claim, `the answer matches the simulator's state: ${raw}`).toBe(applied ? 'yes' : 'no');
  });
});
