import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client.js';
import type { CallResult, ClientOptions } from '../src/client-types.js';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { createOfetchTransport } from '../src/ofetch-transport.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore } from '../src/token-store.js';

const CANARY = 'CANARY-KEY-sim-4d1e';
const SEED = [
  { phoneNumber: '919800000001', phoneName: 'Desk', skills: ['General'] },
  { phoneNumber: '919800000002', phoneName: 'Front' },
];

/** Every log line and result of a test, to assert no secret appears anywhere. */
const everything: unknown[] = [];
const logger = {
  debug: (...a: unknown[]) => everything.push(a),
  info: (...a: unknown[]) => everything.push(a),
  warn: (...a: unknown[]) => everything.push(a),
  error: (...a: unknown[]) => everything.push(a),
};
const keep = (r: CallResult) => (everything.push(r), r);

describe('against the simulator (basic auth)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, userName: 'acme', apiKey: CANARY, records: SEED, skills: ['General', 'QA'] });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.control.reset());

  const make = (extra: Partial<ClientOptions> = {}) =>
    createClient({ userName: 'acme', apiKey: CANARY, baseUrl: sim.url, transport: createNodeHttpTransport(), logger, timeoutMs: 2000, ...extra });

  it('v2 create, get, edit, get, delete over node:http', async () => {
    const c = make();
    expect(keep(await c.createPhoneNumber({ phoneNumber: '+919800000003', phoneName: 'Sales', skill: 'QA' })).outcome.kind).toBe('success');
    const found = keep(await c.getPhoneNumber({ phoneName: 'SALES' }));
    expect(found.outcome).toMatchObject({ kind: 'success', data: { phoneNumber: '+919800000003', phoneName: 'Sales' } });
    const edited = keep(await c.editPhoneNumber({ phoneNumber: '+919800000003', phoneName: 'sales', phoneNumberNew: '919800000004', phoneNameNew: 'Support', assignSkill: ['General'] }));
    expect(edited.outcome.kind).toBe('success');
    expect(sim.control.records()).toContainEqual({ phoneNumber: '919800000004', phoneName: 'Support', skills: ['QA', 'General'] });
    expect(keep(await c.getPhoneNumber({ phoneNumber: '+919800000003' })).outcome).toMatchObject({ kind: 'not_found', field: 'phoneNumber' });
    expect(keep(await c.deletePhoneNumber({ phoneNumber: '919800000004', phoneName: 'Support' })).outcome.kind).toBe('success');
    expect(sim.control.records().map((r) => r.phoneNumber)).toEqual(['919800000001', '919800000002']);
    // exactly one v2 call per operation: no hidden retries or read-backs on the happy path
    expect(sim.control.calls().map((call) => `${call.version}:${call.method}:${call.action}`)).toEqual([
      'v2:POST:create',
      'v2:GET:get',
      'v2:POST:edit',
      'v2:GET:get',
      'v2:POST:delete',
    ]);
  });

  it.each([
    ['fetch', createFetchTransport],
    ['ofetch', createOfetchTransport],
  ])('v2 mutations over %s (and a clear refusal of get)', async (_name, factory) => {
    const c = make({ transport: factory() });
    expect(keep(await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'desk', phoneNameNew: 'Desk2' })).outcome.kind).toBe('success');
    expect(keep(await c.createPhoneNumber({ phoneNumber: '919800000002', phoneName: 'Other' })).outcome.kind).toBe('conflict');
    await expect(c.getPhoneNumber({ phoneNumber: '919800000001' })).rejects.toThrow(/use createKeepAliveTransport \(or createNodeHttpTransport\)/);
    expect(sim.control.applyCount()).toBe(1);
  });

  it('v1 create, edit and delete, with + sent as %2B and a deprecation warning', async () => {
    const warn = vi.fn();
    const c = make({ apiVersion: 'v1', transport: createFetchTransport(), logger: { ...logger, warn } });
    expect(keep(await c.createPhoneNumber({ phoneNumber: '+14155550100', phoneName: 'US.Desk' })).outcome.kind).toBe('success');
    expect(sim.control.records()).toContainEqual({ phoneNumber: '+14155550100', phoneName: 'US.Desk', skills: [] });
    expect(keep(await c.editPhoneNumber({ phoneNumber: '+14155550100', phoneName: 'us.desk', phoneNameNew: 'US-Desk', assignSkill: 'Nope' })).outcome.kind).toBe('partial_success');
    expect(keep(await c.deletePhoneNumber({ phoneNumber: '+14155550100', phoneName: 'US-Desk' })).outcome.kind).toBe('success');
    expect(sim.control.calls().every((call) => call.version === 'v1' && call.method === 'GET')).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('reports bad credentials as auth_error, on v1 and v2', async () => {
    for (const apiVersion of ['v1', 'v2'] as const) {
      const c = make({ apiVersion, apiKey: 'wrong-key-123', transport: createFetchTransport() });
      expect(keep(await c.deletePhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk' })).outcome.kind).toBe('auth_error');
    }
    expect(sim.control.applyCount()).toBe(0);
  });

  it('settles a dropped connection by reading back: applied, and not applied', async () => {
    const c = make();
    sim.control.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['edit'] });
    const applied = keep(await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Desk2' }));
    expect(applied.outcome).toMatchObject({ kind: 'success', applied: 'yes' });
    expect(applied.readBack?.verdict).toBe('applied');
    sim.control.setFaults({ queue: [{ kind: 'drop-before' }], actions: ['edit'] });
    const notApplied = keep(await c.editPhoneNumber({ phoneNumber: '919800000002', phoneName: 'Front', phoneNumberNew: '919800000005' }));
    expect(notApplied.outcome).toMatchObject({ kind: 'server_error', retryable: true, cause: 'reset' });
    expect(sim.control.applyCount()).toBe(1);
    expect(sim.control.calls().filter((call) => call.action === 'edit')).toHaveLength(2);
  });

  it('recognises a retried edit whose first attempt landed', async () => {
    const noReadBack = make({ readBack: false });
    sim.control.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['edit'] });
    const input = { phoneNumber: '919800000001', phoneName: 'Desk', phoneNumberNew: '919800000009', phoneNameNew: 'Moved' };
    const first = keep(await noReadBack.editPhoneNumber(input));
    expect(first.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    const again = keep(await make().editPhoneNumber(input));
    expect(again.outcome.kind).toBe('success');
    expect(again.outcome.message).toContain('already done');
    expect(sim.control.applyCount()).toBe(1);
  });

  it('retries a 429 on a mutation and honours Retry-After', async () => {
    const sleeps: number[] = [];
    const c = make({ sleep: async (ms) => void sleeps.push(ms) });
    sim.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 2 }], actions: ['create'] });
    expect(keep(await c.createPhoneNumber({ phoneNumber: '919800000007', phoneName: 'Seven' })).outcome.kind).toBe('success');
    expect(sleeps).toEqual([2000]);
    expect(sim.control.applyCount()).toBe(1);
  });

  it('never leaks the API key into a log line or a result', () => {
    expect(everything.length).toBeGreaterThan(10);
    expect(JSON.stringify(everything)).not.toContain(CANARY);
  });
});

describe('against the simulator (token auth)', () => {
  let sim: RunningSimulator;
  let t = 1_800_000_000_000;
  const now = () => t;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, userName: 'acme', apiKey: CANARY, auth: 'token', records: SEED, now });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.control.reset());
  const make = (extra: Partial<ClientOptions> = {}) =>
    createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', baseUrl: sim.url, transport: createNodeHttpTransport(), logger, now, ...extra });
  const generations = () => sim.control.calls().filter((call) => call.action === 'token').length;

  it('20 concurrent creates share one generated token', async () => {
    const c = make();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => c.createPhoneNumber({ phoneNumber: `9198000001${String(i).padStart(2, '0')}`, phoneName: `Line${i}` })),
    );
    results.forEach(keep);
    expect(generations()).toBe(1);
    expect(results.map((r) => r.outcome.kind)).toEqual(Array(20).fill('success'));
    expect(sim.control.applyCount()).toBe(20);
    expect(sim.control.calls().filter((call) => call.action === 'create').every((call) => call.auth === 'bearer')).toBe(true);
    expect(JSON.stringify(results)).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./);
  });

  it('two processes without a shared store knock each other out, and recover by refreshing once', async () => {
    const a = make();
    const b = make();
    expect(keep(await a.getPhoneNumber({ phoneNumber: '919800000001' })).outcome.kind).toBe('success');
    expect(keep(await b.getPhoneNumber({ phoneNumber: '919800000001' })).outcome.kind).toBe('success');
    const again = keep(await a.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Desk2' }));
    expect(again.outcome.kind).toBe('success');
    expect(again.attempts).toBe(2);
    expect(generations()).toBe(3);
    expect(sim.control.applyCount()).toBe(1);
  });

  it('processes sharing a store share one token', async () => {
    const store = createMemoryTokenStore();
    const provider = () => createTokenManager({ userName: 'acme', apiKey: CANARY, baseUrl: sim.url, transport: createNodeHttpTransport(), store, now });
    const a = make({ tokenProvider: provider() });
    const b = make({ tokenProvider: provider() });
    expect(keep(await a.getPhoneNumber({ phoneNumber: '919800000001' })).outcome.kind).toBe('success');
    expect(keep(await b.getPhoneNumber({ phoneNumber: '919800000002' })).outcome.kind).toBe('success');
    expect(generations()).toBe(1);
  });

  it('refreshes before the hour is up, so the server never sees an expired token', async () => {
    const c = make();
    expect(keep(await c.getPhoneNumber({ phoneNumber: '919800000001' })).outcome.kind).toBe('success');
    t += 56 * 60_000;
    expect(keep(await c.getPhoneNumber({ phoneNumber: '919800000001' })).outcome.kind).toBe('success');
    expect(generations()).toBe(2);
    expect(sim.control.calls().some((call) => /expired/i.test(call.message ?? ''))).toBe(false);
  });

  it('recovers once from a token the server says has expired', async () => {
    // A manager whose clock runs behind the server's still thinks its token is fresh.
    let lagging = t;
    const c = make({ tokenProvider: createTokenManager({ userName: 'acme', apiKey: CANARY, baseUrl: sim.url, transport: createNodeHttpTransport(), now: () => lagging }) });
    expect(keep(await c.getPhoneNumber({ phoneNumber: '919800000001' })).outcome.kind).toBe('success');
    t += 61 * 60_000;
    lagging += 1;
    const r = keep(await c.getPhoneNumber({ phoneNumber: '919800000001' }));
    expect(r.outcome.kind).toBe('success');
    expect(r.attempts).toBe(2);
    expect(sim.control.calls().filter((call) => /Token Expired/.test(call.message ?? ''))).toHaveLength(1);
  });

  it('never leaks the API key or a token into a log line or a result', () => {
    const text = JSON.stringify(everything);
    expect(text).not.toContain(CANARY);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\./);
  });
});
