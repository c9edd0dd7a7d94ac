// When the durable store fails, the v1 caller is not affected: the answer is the same, the lost
// batch is logged (not re-sent), and the admin views say the counts are unavailable (503).
import { describe, expect, it } from 'vitest';
import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { fileDashboardAssets } from '../../src/dashboard/file-assets.js';
import type { UsageStore } from '../../src/usage/usage-store.js';
import { ADMIN_TOKEN, KEY, PATH, SEED, USER } from '../matrix.js';

function shimWith(store: UsageStore) {
  const v2 = createSimulator({ userName: USER, apiKey: KEY, records: SEED });
  const logs: string[] = [];
  const shim = createShim({
    config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_USAGE_FLUSH_MS: '0' }),
    v2Transport: createFetchTransport({ fetch: (input, init) => v2.fetch(new Request(input, init)) }),
    usageStore: store,
    log: (l) => logs.push(l),
    dashboardAssets: fileDashboardAssets(),
  });
  return { shim, logs, v2 };
}

describe('a failing usage store', () => {
  it('a refused batch: the caller still gets its answer; the loss is logged once with the row count, never re-sent', async () => {
    let adds = 0;
    const { shim, logs, v2 } = shimWith({
      add: () => {
        adds++;
        return Promise.reject(new Error('aggregator overloaded'));
      },
      read: () => Promise.resolve([]),
    });
    const res = await shim.fetch(new Request(`http://shim.test${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000701&phoneName=Lost1`));
    expect(await res.text()).toBe('{"status":"success","message":"record inserted successfully"}');
    expect(v2.control.calls()).toHaveLength(1);
    await shim.idle();
    expect(adds).toBe(1);
    const lost = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'usage batch lost');
    expect(lost).toEqual([expect.objectContaining({ level: 'warn', rows: 2, error: 'aggregator overloaded' })]);
    await shim.idle();
    expect(adds).toBe(1);
    for (const l of logs) expect(l).not.toContain(KEY);
  });

  it('an unreadable store: /_shim/metrics and the dashboard answer 503, not an internal error', async () => {
    const { shim, logs } = shimWith({ add: () => Promise.resolve(), read: () => Promise.reject(new Error('data directory gone')) });
    const metrics = await shim.fetch(new Request('http://shim.test/_shim/metrics', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
    expect(metrics.status).toBe(503);
    expect(await metrics.json()).toEqual({ error: 'the usage counts could not be read right now; try again (the shim logs why)' });
    expect(logs.some((l) => l.includes('data directory gone'))).toBe(true);
    const signIn = await shim.fetch(new Request('http://shim.test/_shim/dashboard/session', { method: 'POST', body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    // The page is the static shell (200); what its script fetches, /_shim/metrics with the cookie, is the 503 it then shows.
    const page = await shim.fetch(new Request('http://shim.test/_shim/dashboard', { headers: { cookie } }));
    expect(page.status).toBe(200);
    const data = await shim.fetch(new Request('http://shim.test/_shim/metrics', { headers: { cookie } }));
    expect(data.status).toBe(503);
    expect(await data.text()).toContain('could not be read right now');
  });
});
