import { nextStep } from '@cloudagent-phone/core';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client.js';
import type { ClientOptions } from '../src/client-types.js';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';

const CANARY = 'CANARY-KEY-settle-7c2a';
const SEED = [
  { phoneNumber: '919800000001', phoneName: 'Desk' },
  { phoneNumber: '919800000002', phoneName: 'Front' },
];

describe('the client owns read-back: settle, prepare, v1 over v2, wrong current name', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, userName: 'acme', apiKey: CANARY, records: SEED });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.control.reset());
  vi.spyOn(console, 'warn').mockImplementation(() => {});

  const make = (extra: Partial<ClientOptions> = {}) =>
    createClient({ userName: 'acme', apiKey: CANARY, baseUrl: sim.url, transport: createNodeHttpTransport(), timeoutMs: 2000, ...extra });

  it('a v1 client reads an ambiguous edit back over v2 with the same key', async () => {
    const c = make({ apiVersion: 'v1' });
    sim.control.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['edit'] });
    const r = await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Desk2' });
    expect(r.outcome).toMatchObject({ kind: 'success', applied: 'yes' });
    expect(r.readBack).toMatchObject({ verdict: 'applied', lookups: 1 });
    expect(sim.control.calls().map((call) => `${call.version}:${call.action}`)).toEqual(['v1:edit', 'v2:get']);
    expect(JSON.stringify(r)).not.toContain(CANARY);
  });

  it('settle reads back and never sends: applied, and not applied', async () => {
    const c = make();
    const done = await c.settle({ action: 'delete', phoneNumber: '919800000009', phoneName: 'Gone' });
    expect(done).toMatchObject({ sent: false, attempts: 0, outcome: { kind: 'success', applied: 'yes' }, readBack: { verdict: 'applied', lookups: 1 } });
    const notYet = await c.settle({ action: 'edit', phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Other' });
    expect(notYet.outcome).toMatchObject({ kind: 'server_error', applied: 'no' });
    expect(nextStep(notYet.outcome, 'edit').step).toBe('resend_safe');
    // The caller's own record of a timeout keeps "not yet" ambiguous: it may still land.
    const timedOut = await c.settle(
      { action: 'edit', phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Other' },
      { original: { kind: 'unknown', message: 'no answer before the timeout', retryable: false, applied: 'unknown', cause: 'timeout' } },
    );
    expect(nextStep(timedOut.outcome, 'edit').step).toBe('look_up_first');
    expect(sim.control.calls().every((call) => call.action === 'get')).toBe(true);
    expect(sim.control.applyCount()).toBe(0);
  });

  it('settle stays unknown, honestly, over a transport that cannot send v2 get', async () => {
    const c = make({ transport: createFetchTransport() });
    const r = await c.settle({ action: 'delete', phoneNumber: '919800000001', phoneName: 'Desk' });
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(r.outcome.message).toContain('cannot be read back');
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('a transport whose capability says getWithBody is used for read-back, whatever its name', async () => {
    const inner = createNodeHttpTransport();
    const custom = { name: 'custom-socket', capabilities: { getWithBody: true }, send: inner.send.bind(inner) };
    const r = await make({ transport: custom }).settle({ action: 'delete', phoneNumber: '919800000001', phoneName: 'Desk' });
    expect(r.outcome.kind).toBe('server_error');
    expect(r.readBack?.verdict).toBe('not_applied');
  });

  it('prepare returns the redacted request it would send, and sends nothing', () => {
    for (const apiVersion of ['v1', 'v2'] as const) {
      const p = make({ apiVersion }).prepare({ action: 'edit', phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'New' });
      expect(p.ok).toBe(true);
      if (p.ok) {
        expect(p.request.url).toContain(apiVersion === 'v1' ? '/CAServices/PhoneManageV2.php' : '/ca_apis/PhoneManageV2');
        expect(JSON.stringify(p)).not.toContain(CANARY);
        expect(JSON.stringify(p)).toContain('[REDACTED]');
      }
    }
    const bad = make().prepare({ action: 'edit', phoneNumber: 'abc', phoneName: 'Desk' });
    expect(bad).toMatchObject({ ok: false, outcome: { kind: 'validation_error', field: 'phoneNumber' } });
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('tells a wrong current name from a real conflict, reading back', async () => {
    const c = make();
    // The simulator answers a rename under a wrong current name with "already exist".
    const wrong = await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Wrong', phoneNameNew: 'Renamed' });
    expect(wrong.outcome).toMatchObject({ kind: 'not_found', nameMismatch: true, actualName: 'Desk', applied: 'no' });
    expect(wrong.outcome.message).toContain('does not match');
    const taken = await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Front' });
    expect(taken.outcome.kind).toBe('conflict');
    const missing = await c.deletePhoneNumber({ phoneNumber: '919800000077', phoneName: 'Nobody' });
    expect(missing.outcome).toMatchObject({ kind: 'not_found', field: 'phoneNumber', nameMismatch: false });
    const mismatch = await c.deletePhoneNumber({ phoneNumber: '919800000001', phoneName: 'Wrong' });
    expect(mismatch.outcome).toMatchObject({ kind: 'not_found', nameMismatch: true });
    expect(sim.control.applyCount()).toBe(0);
  });
});
