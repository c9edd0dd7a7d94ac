import { describe, expect, it } from 'vitest';
import { KEY, USER, makeSimulator, v2 } from './helpers.js';

const edit = { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543211' };
const control = (sim: ReturnType<typeof makeSimulator>, path: string, method = 'GET', body?: unknown) =>
  sim.fetch(new Request(`http://sim.test/__simulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) }));

describe('control routes', () => {
  it('are off by default: every /__simulator/ route answers 404 and changes nothing', async () => {
    const sim = makeSimulator();
    for (const [path, method] of [['state', 'GET'], ['calls', 'GET'], ['faults', 'GET'], ['reset', 'POST'], ['faults', 'PUT']] as const) {
      expect((await control(sim, path, method, method === 'GET' ? undefined : { rates: { 'rate-limit': 1 } })).status, path).toBe(404);
    }
    expect((await v2(sim, edit)).status).toBe(200);
  });

  it('when enabled: state, calls, faults and reset, and the faults never hit them', async () => {
    const sim = makeSimulator({ controlRoutes: true });
    const set = await control(sim, 'faults', 'PUT', { rates: { 'drop-before': 1 } });
    expect(set.status).toBe(200);
    // Every PhoneManageV2 request is now dropped, but the control routes still answer.
    await expect(v2(sim, edit)).rejects.toThrow(TypeError);
    const calls = (await (await control(sim, 'calls')).json()) as { fault?: string }[];
    expect(calls).toHaveLength(1);
    expect(calls[0]?.fault).toBe('drop-before');
    expect(((await (await control(sim, 'faults')).json()) as { stats: { injected: Record<string, number> } }).stats.injected['drop-before']).toBe(1);
    expect((await control(sim, 'faults', 'DELETE')).status).toBe(200);
    expect((await v2(sim, edit)).status).toBe(200);
    const state = (await (await control(sim, 'state')).json()) as { records: { phoneNumber: string }[]; applied: unknown[] };
    expect(state.records.map((r) => r.phoneNumber)).toContain('9876543211');
    expect(state.applied).toHaveLength(1);
    const reset = await control(sim, 'reset', 'POST', { records: [{ phoneNumber: '5550001', phoneName: 'Fresh' }] });
    expect(((await reset.json()) as { records: unknown[] }).records).toEqual([{ phoneNumber: '5550001', phoneName: 'Fresh', skills: [] }]);
    expect(sim.control.calls()).toEqual([]);
  });

  it('a bad fault plan or reset body is a 400 naming the problem', async () => {
    const sim = makeSimulator({ controlRoutes: true });
    const badReset = await sim.fetch(new Request('http://sim.test/__simulator/reset', { method: 'POST', body: '{records:' }));
    expect(badReset.status).toBe(400);
    expect(((await badReset.json()) as { error: string }).error).toMatch(/must be empty or JSON/);
    const r = await control(sim, 'faults', 'PUT', { rates: { garbled: 2 } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/rates\.garbled must be a number from 0 to 1/);
  });

  it('never show the API key or a token', async () => {
    const sim = makeSimulator({ controlRoutes: true, auth: 'token' });
    const t = (await (await sim.fetch(new Request('http://sim.test/ca_apis/CAToken/generateToken', { method: 'POST', headers: { apiKey: KEY }, body: JSON.stringify({ userName: USER }) }))).json()) as { token: string };
    await v2(sim, edit, { authorization: `Bearer ${t.token}` });
    for (const path of ['state', 'calls', 'faults']) {
      const text = await (await control(sim, path)).text();
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(t.token);
    }
  });
});
