// The Worker build itself, inside workerd: the dev Worker (wrangler.dev.jsonc: the shim with the
// simulator in the same isolate) through `exports` from cloudflare:workers, and the production
// Worker entry called directly with its bindings.
import { exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import productionWorker from '../../src/worker.js';
import { simulator } from '../../src/dev-worker.js';

const PATH = '/CAServices/PhoneManageV2.php';
const DEV_KEY = 'demo-key';
const DEV_ADMIN = 'dev-admin-token-not-secret';

afterEach(() => vi.restoreAllMocks());

describe('the runtime', () => {
  it('is workerd, not Node: these tests run inside the Workers runtime', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });
});

describe('the dev Worker (shim + in-isolate simulator)', () => {
  it('answers a hand-glued GET with a raw + byte for byte, sends once, logs no key', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const before = simulator.control.calls().length;
    const res = await exports.default.fetch(`http://shim.test${PATH}?action=create&apiKey=${DEV_KEY}&userName=demo&phoneNumber=+917000000301&phoneName=Edge301`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"success","message":"record inserted successfully"}');
    expect(res.headers.get('deprecation')).toBe('@1745971200');
    expect(res.headers.get('link')).toContain('rel="deprecation"');
    const calls = simulator.control.calls().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ version: 'v2', method: 'POST', auth: 'apiKey', params: { phoneNumber: '+917000000301' } });
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).not.toContain(DEV_KEY);
  });

  it('verify mode (the dev config) records the translation, behind the admin token', async () => {
    await exports.default.fetch(`http://shim.test${PATH}?action=delete&apiKey=${DEV_KEY}&userName=demo&phoneNumber=%2B917000000301&phoneName=Edge301`);
    expect((await exports.default.fetch('http://shim.test/_shim/translations')).status).toBe(401);
    const res = await exports.default.fetch('http://shim.test/_shim/translations', { headers: { authorization: `Bearer ${DEV_ADMIN}` } });
    const text = await res.text();
    expect(JSON.parse(text).translations.some((t: { action: string }) => t.action === 'delete')).toBe(true);
    expect(text).not.toContain(DEV_KEY);
  });
});

describe('the production Worker entry', () => {
  const ctx = { waitUntil: () => undefined };

  it('refuses a v1 call v1 would refuse without calling v2, with the deprecation headers', async () => {
    const env = { CLOUDAGENT_BASE_URL: 'http://127.0.0.1:9', SHIM_ADMIN_TOKEN: 'prod-admin-token-0123456789' };
    const res = await productionWorker.fetch(new Request(`http://shim.test${PATH}?action=create&apiKey=CANARY-KEY-prod&userName=acme&phoneNumber=&phoneName=X1`), env, ctx);
    expect(await res.text()).toBe('{"status":"error","message":"phoneNumber cannot be empty"}');
    expect(res.headers.get('sunset')).toBe('Wed, 30 Apr 2025 00:00:00 GMT');
    const metrics = await productionWorker.fetch(new Request('http://shim.test/_shim/metrics', { headers: { authorization: 'Bearer prod-admin-token-0123456789' } }), env, ctx);
    const snapshot = await metrics.json<{ v2Calls: number; calls: { route: string; outcome: string }[] }>();
    expect(snapshot.v2Calls).toBe(0);
    expect(snapshot.calls[0]).toMatchObject({ route: 'local', outcome: 'rejected-locally' });
  });
});
