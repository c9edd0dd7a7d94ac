// The Worker's own shim (createWorkerShim: what src/worker.ts runs) inside workerd, reaching v2 and
// the legacy host over the socket transport: simulators on loopback ports, started in Node by
// global-setup.ts and driven through their HTTP control routes. The same cases as
// test/node/http.test.ts and modes.test.ts: on Workers too, ambiguous mutations are read back and
// shadow reads run, and nothing is sent twice.
import type { CallRecord, FaultPlan } from '@cloudagent-phone/simulator';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { SHIM_MESSAGES } from '../../src/v1-answer.js';
import { createWorkerShim } from '../../src/worker.js';
import { ADMIN_TOKEN, KEY, PATH, SEED, SUCCESS, USER } from '../matrix.js';
import './provided-context.js';

const simulators = inject('simulators');

function simulator(base: string) {
  const control = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${base}/__simulator${path}`, init);
    if (!response.ok) throw new Error(`simulator control ${path}: ${response.status} ${await response.text()}`);
    return response.json<T>();
  };
  return {
    reset: () => control('/reset', { method: 'POST', body: JSON.stringify({ records: SEED }) }),
    setFaults: (plan: FaultPlan) => control('/faults', { method: 'PUT', body: JSON.stringify(plan) }),
    calls: () => control<CallRecord[]>('/calls'),
    applyCount: async () => (await control<{ applied: unknown[] }>('/state')).applied.length,
  };
}
const v2 = simulator(simulators.v2);
const v1 = simulator(simulators.v1);
const v2Mutations = async () => (await v2.calls()).filter((c) => c.version === 'v2' && c.action !== 'get');

function workerShim(env: Record<string, string> = {}) {
  const logs: string[] = [];
  const shim = createWorkerShim({ CLOUDAGENT_BASE_URL: simulators.v2, SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_TIMEOUT_MS: '2000', ...env }, { log: (line) => logs.push(line) });
  const waiting: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waiting.push(p) };
  const send = async (query: string) => {
    const res = await shim.fetch(new Request(`http://shim.test${PATH}?${query}`), {}, ctx);
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  const noKeyAnywhere = (...texts: string[]) => {
    for (const t of [...logs, ...texts, JSON.stringify(shim.metrics.snapshot())]) expect(t).not.toContain(KEY);
  };
  return { shim, send, logs, noKeyAnywhere, settled: () => Promise.allSettled(waiting) };
}

const create = (n: string, name: string) => `action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=${n}&phoneName=${name}`;

beforeEach(async () => {
  await v2.reset();
  await v1.reset();
});

describe('the Worker shim over the socket transport, inside workerd', () => {
  it('is workerd, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });

  it('a plain create: one v2 call, v1 words, no key anywhere', async () => {
    const { send, noKeyAnywhere } = workerShim();
    const res = await send(create('%2B917000000201', 'Desk201'));
    expect([res.status, res.body]).toEqual([200, SUCCESS]);
    expect(await v2Mutations()).toHaveLength(1);
    noKeyAnywhere(res.body);
  });

  it('a dropped connection after v2 applied the change: read back, proven applied, success; sent once', async () => {
    const { send, noKeyAnywhere } = workerShim();
    await v2.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['create'] });
    const res = await send(create('%2B917000000202', 'Desk202'));
    expect(res.body).toBe(SUCCESS);
    expect(await v2Mutations()).toHaveLength(1);
    expect(await v2.applyCount()).toBe(1);
    expect((await v2.calls()).some((c) => c.action === 'get')).toBe(true);
    noKeyAnywhere(res.body);
  });

  it('a 500 before applying: read back shows nothing applied, 502 "safe to send again"; sent once', async () => {
    const { send, noKeyAnywhere } = workerShim();
    await v2.setFaults({ queue: [{ kind: 'server-error' }], actions: ['create'] });
    const res = await send(create('%2B917000000203', 'Desk203'));
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toEqual({ status: 'error', message: SHIM_MESSAGES.notApplied });
    expect(await v2Mutations()).toHaveLength(1);
    expect(await v2.applyCount()).toBe(0);
    noKeyAnywhere(res.body);
  });

  it('timed out, and not there yet when read back: 504 "check first", never "safe to send again"', async () => {
    const { send, noKeyAnywhere } = workerShim({ SHIM_TIMEOUT_MS: '300' });
    await v2.setFaults({ queue: [{ kind: 'latency', ms: 1_500 }], actions: ['create'] });
    const res = await send(create('%2B917000000204', 'Desk204'));
    expect(res.status).toBe(504);
    expect(JSON.parse(res.body)).toEqual({ status: 'error', message: SHIM_MESSAGES.outcomeUnknown });
    expect(res.headers.get('x-shim-outcome')).toBe('unknown');
    expect((await v2.calls()).some((c) => c.action === 'get')).toBe(true);
    expect(await v2Mutations()).toHaveLength(1);
    noKeyAnywhere(res.body);
  });

  it('v2 unreachable: 502 "not applied" (the connection was refused, provably not sent)', async () => {
    const { send, noKeyAnywhere } = workerShim({ CLOUDAGENT_BASE_URL: 'http://127.0.0.1:1' });
    const res = await send(create('%2B917000000205', 'Desk205'));
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).message).toBe(SHIM_MESSAGES.notApplied);
    noKeyAnywhere(res.body);
  });

  it('shadow: v1 applies the mutation; v2 only gets a read, which is compared', async () => {
    const { shim, send, settled } = workerShim({ SHIM_V1_BASE_URL: simulators.v1, SHIM_ACCOUNT_MODES: `${USER}=shadow` });
    const res = await send(`action=edit&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B919876543210&phoneName=Support&PhoneNameNew=Helpdesk`);
    expect(res.body).toBe(SUCCESS);
    await settled();
    await shim.idle();
    expect((await v1.calls()).filter((c) => c.version === 'v1')).toHaveLength(1);
    expect(await v2Mutations()).toHaveLength(0);
    expect((await v2.calls()).map((c) => c.action)).toEqual(['get']);
    // Two separate simulators: v2 still has the old name, so the comparison reports a mismatch.
    const snapshot = shim.metrics.snapshot();
    expect(snapshot.calls).toContainEqual({ account: USER, action: 'get', route: 'shadow-read', outcome: 'mismatch', count: 1 });
  });
});
