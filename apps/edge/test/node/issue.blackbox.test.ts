// Black-box tests written from issue 5 only: the Node entry on a real socket in front of the
// simulator, called as a team would call it, one check per route, status code and promise.
import { beforeEach, describe, expect, it } from 'vitest';
import { CANARIES, GAMMA_LIMIT, TEAM_TOKENS, TIMEOUT_MS } from '../suite/fixtures.js';
import { useNodeEdge } from './node-edge.js';

const { upstream, logs, edge } = useNodeEdge();
const bodies: string[] = [];
beforeEach(() => upstream.reset());

const mutations = () => [...upstream.basic.control.calls(), ...upstream.token.control.calls()].filter((c) => c.version === 'v2' && c.action !== 'get');

async function call(method: string, path: string, options: { token?: string | null; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TEAM_TOKENS.alpha : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${edge().url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  bodies.push(text, JSON.stringify([...res.headers]));
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

describe('issue 5: public routes', () => {
  it('/healthz and /openapi.json answer without a token; the OpenAPI document lists every route', async () => {
    const health = await call('GET', '/healthz', { token: null });
    expect(health.status).toBe(200);
    const doc = await call('GET', '/openapi.json', { token: null });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toContain('json');
    expect(doc.json.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.json.paths);
    expect(paths).toContain('/phone-numbers');
    const item = paths.find((p) => p.startsWith('/phone-numbers/{'))!;
    expect(item).toBeDefined();
    expect(Object.keys(doc.json.paths['/phone-numbers'])).toContain('post');
    expect(Object.keys(doc.json.paths[item])).toEqual(expect.arrayContaining(['patch', 'delete', 'get']));
    expect(JSON.stringify(doc.json)).toContain('phoneNameNew');
  });

  it('X-Request-Id is echoed when given and minted when not', async () => {
    const given = await call('GET', '/healthz', { token: null, headers: { 'x-request-id': 'blackbox-req-42' } });
    expect(given.headers.get('x-request-id')).toBe('blackbox-req-42');
    const minted = await call('GET', '/healthz', { token: null });
    expect(minted.headers.get('x-request-id')).toBeTruthy();
    const problem = await call('POST', '/phone-numbers', { token: null, body: { userName: 'demo', phoneNumber: '7001110001', phoneName: 'Door' }, headers: { 'x-request-id': 'blackbox-req-43' } });
    expect(problem.status).toBe(401);
    expect(problem.headers.get('x-request-id')).toBe('blackbox-req-43');
  });

  it('no CORS headers unless configured', async () => {
    const res = await call('GET', '/healthz', { token: null, headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('issue 5: auth matrix', () => {
  const body = { userName: 'demo', phoneNumber: '7001110002', phoneName: 'Matrix' };
  it('401 with no token, a wrong token, a malformed header; as problem+json; nothing sent', async () => {
    for (const token of [null, 'not-a-team-token', `${TEAM_TOKENS.alpha}x`]) {
      const res = await call('POST', '/phone-numbers', { token, body });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const basic = await call('POST', '/phone-numbers', { token: null, body, headers: { authorization: `Basic ${TEAM_TOKENS.alpha}` } });
    expect(basic.status).toBe(401);
    for (const [method, path] of [['PATCH', '/phone-numbers/8001234567'], ['DELETE', '/phone-numbers/8001234567'], ['GET', '/phone-numbers/8001234567?userName=demo']] as const) {
      const res = await call(method, path, { token: null, ...(method === 'GET' ? {} : { body: { userName: 'demo', phoneName: 'Support-line', phoneNameNew: 'X-ray' } }) });
      expect(res.status).toBe(401);
    }
    expect(mutations()).toHaveLength(0);
  });

  it('403 for a team acting on an account it is not granted (existing or not); granted teams pass', async () => {
    expect((await call('POST', '/phone-numbers', { token: TEAM_TOKENS.beta, body })).status).toBe(403);
    expect((await call('POST', '/phone-numbers', { token: TEAM_TOKENS.alpha, body: { ...body, userName: 'other' } })).status).toBe(403);
    expect((await call('POST', '/phone-numbers', { token: TEAM_TOKENS.alpha, body: { ...body, userName: 'ghost' } })).status).toBe(403);
    expect((await call('DELETE', '/phone-numbers/8001234567', { token: TEAM_TOKENS.beta, body: { userName: 'demo', phoneName: 'Support-line' } })).status).toBe(403);
    expect(mutations()).toHaveLength(0);
    const ok = await call('POST', '/phone-numbers', { token: TEAM_TOKENS.alpha, body });
    expect(ok.status).toBe(200);
    expect(ok.json.outcome).toBe('success');
  });
});

describe('issue 5: the phone-number routes', () => {
  it('POST creates (200, outcome success), with skills as a list', async () => {
    const res = await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: '+917001110003', phoneName: 'Created', skill: ['General'] } });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('success');
    expect(mutations()).toHaveLength(1);
    expect(upstream.basic.control.records()).toContainEqual(expect.objectContaining({ phoneNumber: '+917001110003', phoneName: 'Created' }));
  });

  it('PATCH edits the URL-encoded number with every vendor field, in one v2 call', async () => {
    const res = await call('PATCH', '/phone-numbers/%2B919876543210', {
      body: { userName: 'demo', phoneName: 'Front-desk', phoneNumberNew: '+919876500001', phoneNameNew: 'Lobby', assignSkill: ['General'], unAssignSkill: [] },
    });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('success');
    expect(mutations()).toHaveLength(1);
    expect(mutations()[0]!.params).toMatchObject({ phoneNumber: '+919876543210', phoneNumberNew: '+919876500001', phoneNameNew: 'Lobby' });
  });

  it('200 with outcome partial_success and the warning when skills fail', async () => {
    const res = await call('PATCH', '/phone-numbers/%2B919876543210', { body: { userName: 'demo', phoneName: 'Front-desk', phoneNameNew: 'Lobby-2', assignSkill: ['NoSuchSkill'] } });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('partial_success');
    expect(JSON.stringify(res.json)).toContain('failed to insert skills');
  });

  it('DELETE removes the number', async () => {
    const res = await call('DELETE', '/phone-numbers/8001234567', { body: { userName: 'demo', phoneName: 'Support-line' } });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('success');
    expect(upstream.basic.control.records().map((r) => r.phoneNumber)).not.toContain('8001234567');
  });

  it('GET looks a number up on Node (GET-with-body over node:http)', async () => {
    const res = await call('GET', '/phone-numbers/%2B919876543210?userName=demo');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ outcome: 'success', phoneNumber: '+919876543210', phoneName: 'Front-desk' });
  });

  it('409 on a conflict, 422 when CloudAgent rejects', async () => {
    const conflict = await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: '+919876543210', phoneName: 'Dup' } });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toContain('application/problem+json');
    await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: '7001110004', phoneName: 'Third' } });
    const limit = await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: '7001110005', phoneName: 'Fourth' } });
    expect(limit.status).toBe(422);
  });
});

describe('issue 5: invalid input', () => {
  it('400 problem+json naming each bad field, nothing sent', async () => {
    const res = await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: 'abc', phoneName: '-' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.status).toBe(400);
    expect(res.text).toContain('phoneNumber');
    expect(res.text).toContain('phoneName');
    expect(mutations()).toHaveLength(0);
  });

  it('413 over 16 KB, 415 for a non-JSON body (form or none)', async () => {
    const big = await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: '7001110006', phoneName: 'x'.repeat(16 * 1024) } });
    expect(big.status).toBe(413);
    const form = await call('POST', '/phone-numbers', { raw: 'userName=demo&phoneNumber=7001110007&phoneName=Form', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const charset = await call('POST', '/phone-numbers', { body: { userName: 'demo', phoneNumber: '7001110008', phoneName: 'Charset' }, contentType: 'application/json; charset=utf-8' });
    expect(charset.status).toBe(200);
    expect(mutations()).toHaveLength(1);
  });
});

describe('issue 5: limits and CloudAgent trouble', () => {
  it("429 with Retry-After over the team's rate", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < GAMMA_LIMIT + 2; i++) {
      const res = await call('GET', `/phone-numbers/8001234567?userName=demo`, { token: TEAM_TOKENS.gamma });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('504 with outcome unknown when a mutation is too slow; sent once', async () => {
    upstream.basic.control.setFaults({ queue: [{ kind: 'latency', ms: TIMEOUT_MS * 3 }] });
    const res = await call('DELETE', '/phone-numbers/8001234567', { body: { userName: 'demo', phoneName: 'Support-line' } });
    expect(res.status).toBe(504);
    expect(res.json.outcome).toBe('unknown');
    expect(res.text).toContain('"outcome":"unknown"');
    expect(upstream.requests).toHaveLength(1);
  });

  it('no canary key in any answer or log line; every log line is JSON', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [...bodies, ...logs]) for (const canary of CANARIES) expect(text).not.toContain(canary);
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow();
  });
});
