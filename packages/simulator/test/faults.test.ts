import { classify } from '@cloudagent-phone/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Fault, FaultKind } from '../src/index.js';
import { KEY, USER, makeSimulator, ok, token, v1Params, v2, v2Get } from './helpers.js';

const edit = (n: number) => ({ action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: `Desk${n}`, phoneNumberNew: '9876543210', PhoneNameNew: `Desk${n + 1}` });
const asOutcome = (r: { status: number; headers: Headers; text: string }) => classify({ status: r.status, headers: Object.fromEntries(r.headers), body: r.text }, 'edit');

afterEach(() => {
  vi.useRealTimers();
});

describe('faults (neutral entry)', () => {
  it('are off unless enabled', async () => {
    const sim = makeSimulator();
    expect((await v2(sim, edit(1))).json).toEqual(ok);
    expect(sim.control.faults().stats.injected).toEqual({ latency: 0, 'server-error': 0, 'html-error': 0, 'rate-limit': 0, 'drop-before': 0, 'drop-after': 0, garbled: 0 });
  });

  it('latency waits, then answers normally', async () => {
    vi.useFakeTimers();
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'latency', ms: 5_000 }] });
    let settled = false;
    const pending = v2(sim, edit(1)).then((r) => ((settled = true), r));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).json).toEqual(ok);
    expect(sim.control.calls().at(-1)?.fault).toBe('latency');
  });

  it('latency with abortable: true gives up with the caller (in-process), applying nothing', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'latency', ms: 60_000, abortable: true }] });
    const controller = new AbortController();
    const pending = sim.fetch(
      new Request('http://sim.test/ca_apis/PhoneManageV2', { method: 'POST', headers: { apiKey: KEY, 'content-type': 'application/json' }, body: JSON.stringify(edit(1)), signal: controller.signal }),
    );
    while (sim.control.calls().length === 0) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    await expect(pending).rejects.toThrow(TypeError);
    expect(sim.control.calls()[0]).toMatchObject({ fault: 'latency', aborted: true, dropped: true });
    expect(sim.control.applyCount()).toBe(0);
  });

  it('server-error: a 5xx with JSON or text, not applied unless afterApplying', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'server-error' }, { kind: 'server-error', status: 503, format: 'text' }, { kind: 'server-error', afterApplying: true }] });
    const json = await v2(sim, edit(1));
    expect(json.status).toBe(500);
    expect(json.json).toEqual({ status: 'error', message: 'Internal Server Error' });
    const text = await v2(sim, edit(1));
    expect(text.status).toBe(503);
    expect(text.text).toBe('Internal Server Error');
    expect(sim.control.applyCount()).toBe(0);
    const after = await v2(sim, edit(1));
    expect(after.status).toBe(500);
    expect(sim.control.applyCount()).toBe(1);
    expect(asOutcome(after)).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });

  it('html-error: a proxy page (502 by default)', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'html-error' }] });
    const r = await v2(sim, edit(1));
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(r.text).toContain('<h1>502 Bad Gateway</h1>');
    expect(sim.control.applyCount()).toBe(0);
  });

  it('rate-limit: 429 with Retry-After and the vendor envelope, never applied', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 7 }] });
    const r = await v2(sim, edit(1));
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json).toEqual({ status: 'error', message: 'Max limit exceeded' });
    expect(asOutcome(r)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(sim.control.applyCount()).toBe(0);
  });

  it('drop-before: fetch rejects and nothing is applied', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'drop-before' }] });
    await expect(v2(sim, edit(1))).rejects.toThrow(TypeError);
    expect(sim.control.applyCount()).toBe(0);
    expect(sim.control.calls().at(-1)).toMatchObject({ fault: 'drop-before', dropped: true });
  });

  it('drop-after: fetch rejects and the change WAS applied (the ambiguous case)', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'drop-after' }] });
    await expect(v2(sim, edit(1))).rejects.toThrow(TypeError);
    expect(sim.control.applyCount()).toBe(1);
    expect(sim.state.byNumber('9876543210')?.phoneName).toBe('Desk2');
  });

  it('garbled: applied, then a truncated body that is not JSON', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'garbled' }] });
    const r = await v2(sim, edit(1));
    expect(r.status).toBe(200);
    expect(r.json).toBeUndefined();
    expect('{"status":"success","message":"record inserted successfully"}'.startsWith(r.text)).toBe(true);
    expect(sim.control.applyCount()).toBe(1);
    expect(asOutcome(r)).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });

  it('garbled with truncate "connection": the body stream fails mid-way, after applying', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'garbled', truncate: 'connection' }] });
    const res = await sim.fetch(
      new Request('http://sim.test/ca_apis/PhoneManageV2', { method: 'POST', headers: { apiKey: KEY, 'content-type': 'application/json' }, body: JSON.stringify(edit(1)) }),
    );
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(sim.control.applyCount()).toBe(1);
  });

  it('the queue is consumed in order; null lets a request through', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [null, { kind: 'rate-limit' }, null] });
    expect((await v2(sim, edit(1))).status).toBe(200);
    expect((await v2(sim, edit(2))).status).toBe(429);
    expect((await v2(sim, edit(2))).status).toBe(200);
    expect((await v2(sim, edit(3))).status).toBe(200);
    expect(sim.control.faults().stats).toMatchObject({ queued: 0, injected: { 'rate-limit': 1 } });
  });

  it('rates: a seeded PRNG draws the same faults for the same seed, at about the given share', async () => {
    const run = async (seed: number) => {
      const sim = makeSimulator();
      sim.control.setFaults({ seed, rates: { 'rate-limit': 0.3, 'server-error': 0.2 } });
      const statuses: number[] = [];
      for (let i = 0; i < 400; i++) statuses.push((await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' })).status);
      return statuses;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
    const share429 = a.filter((s) => s === 429).length / a.length;
    const share500 = a.filter((s) => s === 500).length / a.length;
    expect(share429).toBeGreaterThan(0.2);
    expect(share429).toBeLessThan(0.4);
    expect(share500).toBeGreaterThan(0.12);
    expect(share500).toBeLessThan(0.28);
  });

  it('actions and routes filter which requests are eligible', async () => {
    const sim = makeSimulator();
    sim.control.setFaults({ queue: [{ kind: 'rate-limit' }], actions: ['edit'] });
    expect((await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' })).status).toBe(200);
    expect((await token(sim)).status).toBe(200);
    expect((await v2(sim, edit(1))).status).toBe(429);
    sim.control.setFaults({ queue: [{ kind: 'rate-limit' }] });
    expect((await token(sim)).status).toBe(200); // token route is off by default
    expect((await v1Params(sim, { action: 'delete', phoneNumber: '1', phoneName: 'x' })).status).toBe(429);
    sim.control.setFaults({ queue: [{ kind: 'rate-limit' }], routes: ['token'] });
    expect((await v2(sim, edit(1))).status).toBe(200);
    expect((await token(sim)).status).toBe(429);
  });

  it('bad plans are refused with a message naming the problem', () => {
    const sim = makeSimulator();
    expect(() => sim.control.setFaults({ rates: { 'rate-limit': 0.8, garbled: 0.5 } })).toThrow(/must not exceed 1/);
    expect(() => sim.control.setFaults({ rates: { nope: 0.1 } as Partial<Record<FaultKind, number>> })).toThrow(/unknown kind "nope"/);
    expect(() => sim.control.setFaults({ queue: [{ kind: 'boom' } as unknown as Fault] })).toThrow(/unknown kind "boom"/);
  });

  it('reset clears faults, calls, tokens and the applied log, and restores the seed', async () => {
    const sim = makeSimulator();
    await v2(sim, edit(1));
    sim.control.setFaults({ rates: { 'rate-limit': 1 } });
    sim.control.reset();
    expect(sim.control.calls()).toEqual([]);
    expect(sim.control.applyCount()).toBe(0);
    expect(sim.state.byNumber('9876543210')?.phoneName).toBe('Desk1');
    expect((await v2(sim, edit(1))).status).toBe(200);
    expect(JSON.stringify(sim.control.calls())).not.toContain(KEY);
  });
});
