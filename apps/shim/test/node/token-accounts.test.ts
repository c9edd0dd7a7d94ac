// TOKEN_AUTH accounts behind the shim on Node (SHIM_TOKEN_ACCOUNTS): the caller's v1 apiKey is
// exchanged for a v2 token, kept for that user name and that key. Real sockets both sides.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv } from '../../src/config.js';
import { startShim } from '../../src/node.js';
import { KEY, PATH, SEED, SUCCESS, USER } from '../matrix.js';

const WRONG = 'CANARY-KEY-shim-wrong-5c1d';
const NOT_VALID = '{"status":"error","message":"userName or apiKey not valid"}';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const closing = open;
  open = [];
  await Promise.allSettled(closing.map((s) => s.close()));
});

async function setup() {
  let serverAhead = 0;
  const v2 = await startSimulator({ userName: USER, apiKey: KEY, auth: 'token', records: SEED, now: () => Date.now() + serverAhead });
  const logs: string[] = [];
  const shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url, SHIM_TOKEN_ACCOUNTS: ` ${USER} , other`, SHIM_TIMEOUT_MS: '5000' }), log: (l) => logs.push(l) });
  open.push(shim, v2);
  return { v2, shim, logs, serverAdvance: (ms: number) => (serverAhead += ms) };
}

function get(base: string, query: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${PATH}?${query}`, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const create = (key: string, n: number) => `action=create&apiKey=${key}&userName=${USER}&phoneNumber=%2B9170000005${String(n).padStart(2, '0')}&phoneName=Token${n}`;
const generations = (v2: RunningSimulator) => v2.control.calls().filter((c) => c.version === 'token');
const mutations = (v2: RunningSimulator) => v2.control.calls().filter((c) => c.version === 'v2');

describe('token accounts behind the shim (Node)', () => {
  it('12 concurrent v1 callers: one token generation, every call sent once with the bearer token', async () => {
    const { v2, shim, logs } = await setup();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => get(shim.url, create(KEY, i))));
    expect(answers.map((a) => a.body)).toEqual(Array(12).fill(SUCCESS));
    expect(generations(v2)).toHaveLength(1);
    expect(mutations(v2)).toHaveLength(12);
    expect(mutations(v2).every((c) => c.auth === 'bearer')).toBe(true);
    for (const text of [...logs, JSON.stringify(shim.metrics.snapshot())]) expect(text).not.toContain(KEY);
  });

  it('a wrong key is refused in v1 words, nothing applied, while the right key’s token stays cached and valid', async () => {
    const { v2, shim, logs } = await setup();
    expect((await get(shim.url, create(KEY, 20))).body).toBe(SUCCESS);
    const refused = await get(shim.url, create(WRONG, 21));
    expect(refused.body).toBe(NOT_VALID);
    // Asked again at once: answered from memory, CloudAgent not asked.
    expect((await get(shim.url, create(WRONG, 22))).body).toBe(NOT_VALID);
    expect(generations(v2)).toHaveLength(2);
    expect(v2.control.records().map((r) => r.phoneName)).not.toEqual(expect.arrayContaining(['Token21']));
    expect(v2.control.records().map((r) => r.phoneName)).not.toEqual(expect.arrayContaining(['Token22']));
    // The refused generation voided nothing: the right key still rides its token, no new generation.
    expect((await get(shim.url, create(KEY, 23))).body).toBe(SUCCESS);
    expect(generations(v2)).toHaveLength(2);
    for (const text of [...logs, refused.body, JSON.stringify(shim.metrics.snapshot())]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(WRONG);
    }
  });

  it('Token Expired: refreshed once, the call sent again and applied once', async () => {
    const { v2, shim, serverAdvance } = await setup();
    expect((await get(shim.url, create(KEY, 30))).body).toBe(SUCCESS);
    serverAdvance(61 * 60_000);
    const answers = await Promise.all([31, 32, 33].map((n) => get(shim.url, create(KEY, n))));
    expect(answers.map((a) => a.body)).toEqual([SUCCESS, SUCCESS, SUCCESS]);
    expect(generations(v2)).toHaveLength(2);
    for (const n of [31, 32, 33]) expect(v2.control.records().filter((r) => r.phoneName === `Token${n}`)).toHaveLength(1);
  });

  it('a basic account beside them still sends its key as the apiKey header', async () => {
    const v2 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED });
    const shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url, SHIM_TOKEN_ACCOUNTS: 'someone-else' }), log: () => undefined });
    open.push(shim, v2);
    expect((await get(shim.url, create(KEY, 40))).body).toBe(SUCCESS);
    expect(mutations(v2)[0]).toMatchObject({ auth: 'apiKey' });
    expect(generations(v2)).toHaveLength(0);
  });
});
