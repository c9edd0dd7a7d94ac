// The shim on a real socket (startShim, its keep-alive transport) in front of the simulator on a real
// socket: what the in-process matrix cannot show. The raw + survives @hono/node-server, failures are
// answered honestly, nothing is sent twice, and ambiguous mutations are settled by reading back.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { startCountingRelay } from '@cloudagent-phone/transport/testing/node';
import { configFromEnv } from '../../src/config.js';
import { nodeConfigFromEnv, startShim, type RunningShim } from '../../src/node.js';
import { SHIM_MESSAGES } from '../../src/v1-answer.js';
import { ADMIN_TOKEN, KEY, PATH, SEED, SUCCESS, USER } from '../matrix.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const closing = open;
  open = [];
  await Promise.allSettled(closing.map((s) => s.close()));
});

async function setup(env: Record<string, string> = {}) {
  const v2 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED });
  const logs: string[] = [];
  const shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url, SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_TIMEOUT_MS: '2000', ...env }), log: (l) => logs.push(l) });
  open.push(shim, v2);
  return { v2, shim, logs };
}

/** A GET sent with node:http so the query goes on the wire byte for byte (a raw + stays raw). */
function rawGet(base: string, pathAndQuery: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: pathAndQuery, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const mutations = (v2: RunningSimulator) => v2.control.calls().filter((c) => c.version === 'v2' && c.action !== 'get');
const create = (n: string, name: string) => `${PATH}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=${n}&phoneName=${name}`;

function noKeyAnywhere(shim: RunningShim, logs: string[], ...texts: string[]) {
  for (const t of [...logs, ...texts, JSON.stringify(shim.metrics.snapshot()), JSON.stringify(shim.translations.list())]) expect(t).not.toContain(KEY);
}

describe('shim on Node over real sockets', () => {
  it('restores a raw + sent on the wire, sends once, with the key as a header', async () => {
    const { v2, shim, logs } = await setup();
    const res = await rawGet(shim.url, create('+917000000101', 'Desk101'));
    expect(res.status).toBe(200);
    expect(res.body).toBe(SUCCESS);
    expect(res.headers.deprecation).toBe('@1745971200');
    expect(mutations(v2)).toHaveLength(1);
    expect(mutations(v2)[0]).toMatchObject({ auth: 'apiKey', params: { phoneNumber: '+917000000101' } });
    expect(v2.control.records().some((r) => r.phoneNumber === '+917000000101')).toBe(true);
    noKeyAnywhere(shim, logs, res.body);
  });

  it('a dropped connection after v2 applied the change: read back, proven applied, success; sent once', async () => {
    const { v2, shim, logs } = await setup();
    v2.control.setFaults({ queue: [{ kind: 'drop-after' }], actions: ['create'] });
    const res = await rawGet(shim.url, create('%2B917000000102', 'Desk102'));
    expect(res.body).toBe(SUCCESS);
    expect(mutations(v2)).toHaveLength(1);
    expect(v2.control.applyCount()).toBe(1);
    expect(v2.control.calls().some((c) => c.action === 'get')).toBe(true);
    noKeyAnywhere(shim, logs, res.body);
  });

  it('a 500 before applying: read back shows nothing applied, 502 "safe to send again"; sent once', async () => {
    const { v2, shim, logs } = await setup();
    v2.control.setFaults({ queue: [{ kind: 'server-error' }], actions: ['create'] });
    const res = await rawGet(shim.url, create('%2B917000000103', 'Desk103'));
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toEqual({ status: 'error', message: SHIM_MESSAGES.notApplied });
    expect(mutations(v2)).toHaveLength(1);
    expect(v2.control.applyCount()).toBe(0);
    noKeyAnywhere(shim, logs, res.body);
  });

  it('"already exist" over node:http: v1\'s words, and exactly one v2 call (no read-back for a definite answer)', async () => {
    const { v2, shim, logs } = await setup();
    const res = await rawGet(shim.url, create('%2B919876543210', 'Other'));
    expect(res.body).toBe('{"status":"error","message":"phone_name or phone_number already exist"}');
    expect(v2.control.calls().filter((c) => c.version === 'v2')).toHaveLength(1);
    expect(shim.metrics.snapshot().v2Calls).toBe(1);
    noKeyAnywhere(shim, logs, res.body);
  });

  it('timed out, and not there yet when read back: 504 "check first", never "safe to send again"', async () => {
    const { v2, shim, logs } = await setup({ SHIM_TIMEOUT_MS: '300' });
    // v2 holds the create past the shim's deadline and applies it afterwards, as a slow server would.
    v2.control.setFaults({ queue: [{ kind: 'latency', ms: 1_500 }], actions: ['create'] });
    const res = await rawGet(shim.url, create('%2B917000000106', 'Desk106'));
    expect(res.status).toBe(504);
    expect(JSON.parse(res.body)).toEqual({ status: 'error', message: SHIM_MESSAGES.outcomeUnknown });
    expect(res.headers['x-shim-outcome']).toBe('unknown');
    expect(v2.control.calls().some((c) => c.action === 'get')).toBe(true);
    expect(mutations(v2)).toHaveLength(1);
    noKeyAnywhere(shim, logs, res.body);
  });

  it('rate limited by v2: "Max limit exceeded" with Retry-After, and no automatic retry', async () => {
    const { v2, shim } = await setup();
    v2.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 3 }] });
    const res = await rawGet(shim.url, create('%2B917000000104', 'Desk104'));
    expect([res.status, res.body, res.headers['retry-after']]).toEqual([200, '{"status":"error","message":"Max limit exceeded"}', '3']);
    expect(mutations(v2)).toHaveLength(1);
  });

  it('v2 unreachable: 502, nothing applied, nothing logged with the key', async () => {
    const { shim, logs } = await setup({ CLOUDAGENT_BASE_URL: 'http://127.0.0.1:1' });
    const res = await rawGet(shim.url, create('%2B917000000105', 'Desk105'));
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).message).toBe(SHIM_MESSAGES.notApplied);
    noKeyAnywhere(shim, logs, res.body);
  });

  it('admin routes: 401 without the token or with a wrong one, metrics with it', async () => {
    const { shim } = await setup();
    await rawGet(shim.url, create('%2B917000000106', 'Desk106'));
    expect((await fetch(`${shim.url}/_shim/metrics`)).status).toBe(401);
    expect((await fetch(`${shim.url}/_shim/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${shim.url}/_shim/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const snapshot = await ok.json();
    expect(snapshot.calls).toEqual([{ account: USER, action: 'create', route: 'v2', outcome: 'success', count: 1 }]);
    expect(snapshot.v2Calls).toBe(1);
  });

  it('keeps at most SHIM_UPSTREAM_CONNECTIONS connections to v2, reuses them, and closes them on close()', async () => {
    const v2 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED });
    const proxy = await startCountingRelay(v2.url);
    open.push(v2, proxy);
    // Five slow creates at once: each holds its connection for 300 ms.
    const slow = () => v2.control.setFaults({ queue: Array.from({ length: 5 }, () => ({ kind: 'latency' as const, ms: 300 })), actions: ['create'] });
    const burst = (shim: RunningShim, from: number) =>
      Promise.all(Array.from({ length: 5 }, (_, i) => rawGet(shim.url, create(`%2B91700000020${from + i}`, `Desk20${from + i}`))));

    slow();
    const limited = await startShim({ config: nodeConfigFromEnv({ CLOUDAGENT_BASE_URL: proxy.url, SHIM_UPSTREAM_CONNECTIONS: '2' }), log: () => {} });
    const answers = await burst(limited, 0);
    expect(answers.map((a) => a.body)).toEqual(Array(5).fill(SUCCESS));
    expect(mutations(v2)).toHaveLength(5);
    expect(proxy.opened(), 'two connections, each reused').toBe(2);
    expect(proxy.mostAtOnce()).toBe(2);
    expect(proxy.openNow(), 'kept alive between calls').toBe(2);
    await limited.close();
    await until(() => proxy.openNow() === 0);

    // The default (32) does not hold the burst back: the limit above was the variable's.
    slow();
    const roomy = await startShim({ config: nodeConfigFromEnv({ CLOUDAGENT_BASE_URL: proxy.url }), log: () => {} });
    expect((await burst(roomy, 5)).map((a) => a.body)).toEqual(Array(5).fill(SUCCESS));
    expect(proxy.mostAtOnce()).toBe(5);
    await roomy.close();
    await until(() => proxy.openNow() === 0);
  });
});

/** A TCP relay in front of `target` that counts the connections made to it. */

async function until(condition: () => boolean, timeoutMs = 1500): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
