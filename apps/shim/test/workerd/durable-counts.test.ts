// Issue 15's proof on Workers, inside workerd: two shim instances (as two isolates would be) feed
// one Durable Object aggregator in batches through ctx.waitUntil; the answer goes out before the
// batch is sent, and the totals of both add up exactly in either's /_shim/metrics.
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { createDurableObjectUsageStore } from '../../src/usage/durable-object-usage.js';
import type { MigrationReport } from '../../src/usage/migration-report.js';
import { ADMIN_TOKEN, KEY, PATH, SEED, USER } from '../matrix.js';

function isolate(store: string, flushMs: number) {
  const v2 = createSimulator({ userName: USER, apiKey: KEY, records: SEED });
  const lines: string[] = [];
  const aggregator = createDurableObjectUsageStore(env.SHIM_USAGE, store);
  const sent = { batches: 0 };
  const shim = createShim({
    // The account is configured, so each isolate labels its calls from the first (local refusals included).
    config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_USAGE_FLUSH_MS: String(flushMs), SHIM_ACCOUNT_MODES: `${USER}=v2` }),
    v2Transport: createFetchTransport({ fetch: (input, init) => v2.fetch(new Request(input, init)) }),
    usageStore: { add: (rows, keepFrom) => (sent.batches++, aggregator.add(rows, keepFrom)), read: (keepFrom) => aggregator.read(keepFrom) },
    log: (l) => lines.push(l),
  });
  return { shim, lines, sent };
}

const call = (i: number, ok: boolean) => new Request(`http://shim.test${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=${ok ? `%2B91700000${String(i).padStart(4, '0')}` : ''}&phoneName=Desk${i}`);

describe('the Durable Object aggregator behind two isolates', () => {
  it('sends counts after the answer, via waitUntil, and the totals of both add up exactly', async () => {
    const store = `isolates-${Date.now()}`;
    const a = isolate(store, 200);
    const b = isolate(store, 0);
    const reader = createDurableObjectUsageStore(env.SHIM_USAGE, store);

    const ctx = createExecutionContext();
    const res = await a.shim.fetch(call(1, true), env, ctx);
    expect(await res.text()).toBe('{"status":"success","message":"record inserted successfully"}');
    // Answered, and the batch has not gone yet (a timer cannot run before the answer resolves):
    // it follows, kept alive by waitUntil.
    expect(a.sent.batches).toBe(0);
    await waitOnExecutionContext(ctx);
    expect(a.sent.batches).toBe(1);
    expect((await reader.read(0)).some((r) => r.key === 'call|v2|create|success' && r.count === 1)).toBe(true);

    const contexts: ExecutionContext[] = [];
    for (let i = 0; i < 12; i++) {
      const c = createExecutionContext();
      contexts.push(c);
      await (i % 2 ? a : b).shim.fetch(call(10 + i, i % 3 !== 0), env, c);
    }
    await Promise.all(contexts.map((c) => waitOnExecutionContext(c)));

    const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    const fromB = await (await b.shim.fetch(new Request('http://shim.test/_shim/metrics', admin), env, createExecutionContext())).json<MigrationReport>();
    // 1 + 12 calls: 1 + 8 through v2 (i % 3 !== 0), 4 refused locally.
    expect(fromB.totals.calls).toBe(13);
    expect(fromB.totals.byRoute).toEqual({ v2: 9, local: 4 });
    expect(fromB.v2Calls).toBe(9);
    // Through v2 only, but first seen today: not ready until the shim has watched it for 7 days.
    expect(fromB.accounts.map((x) => [x.account, x.calls, x.readiness])).toEqual([[USER, 13, 'not-ready']]);
    const fromA = await (await a.shim.fetch(new Request('http://shim.test/_shim/metrics', admin), env, createExecutionContext())).json<MigrationReport>();
    expect({ ...fromA, generatedAt: '' }).toEqual({ ...fromB, generatedAt: '' });
    for (const l of [...a.lines, ...b.lines]) expect(l).not.toContain(KEY);
    expect(JSON.stringify(fromB)).not.toContain(KEY);
  });

  it('the dev Worker counts into its SHIM_USAGE binding', async () => {
    const { exports } = await import('cloudflare:workers');
    // A call CloudAgent (the dev simulator) accepts: only accepted accounts become labels.
    await exports.default.fetch(`http://shim.test${PATH}?action=create&apiKey=demo-key&userName=demo&phoneNumber=%2B917000000911&phoneName=Probe911`);
    const res = await exports.default.fetch('http://shim.test/_shim/metrics', { headers: { authorization: 'Bearer dev-admin-token-not-secret' } });
    const report = await res.json<MigrationReport>();
    expect(report.calls).toContainEqual(expect.objectContaining({ account: 'demo', action: 'create', outcome: 'success' }));
    const stored = await createDurableObjectUsageStore(env.SHIM_USAGE).read(0);
    expect(stored.some((r) => r.account === 'demo')).toBe(true);
  });

  it('the dev Worker serves the dashboard from its static assets: 401 and no data signed out, the page and its data after signing in', async () => {
    const { exports } = await import('cloudflare:workers');
    await exports.default.fetch(`http://shim.test${PATH}?action=create&apiKey=demo-key&userName=demo&phoneNumber=%2B917000000912&phoneName=Probe912`);
    const signedOut = await exports.default.fetch('http://shim.test/_shim/dashboard');
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).not.toContain('data-account="demo"');
    const form = new URLSearchParams({ token: 'dev-admin-token-not-secret' }).toString();
    const session = await exports.default.fetch('http://shim.test/_shim/dashboard/session', { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    expect(session.status).toBe(303);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const page = await exports.default.fetch('http://shim.test/_shim/dashboard', { headers: { cookie } });
    expect(page.status).toBe(200);
    // The shell comes from the Worker's static assets (ASSETS); its data from /_shim/metrics, with the cookie.
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/_shim/dashboard/dashboard.js"></script>');
    expect(html).not.toContain('data-account');
    const data = await exports.default.fetch('http://shim.test/_shim/metrics', { headers: { cookie } });
    expect(data.status).toBe(200);
    const text = await data.text();
    expect((JSON.parse(text) as { accounts: { account: string }[] }).accounts.map((a) => a.account)).toContain('demo');
    for (const t of [html, text]) expect(t).not.toContain('demo-key');
  });
});
