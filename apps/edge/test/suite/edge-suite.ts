import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEdgeClient } from '@cloudagent-phone/edge-client';
import { CANARIES, GAMMA_LIMIT, TEAM_TOKENS, TIMEOUT_MS } from './fixtures.js';
import { SEED, type UpstreamView } from './upstream.js';

/**
 * The edge's behaviour, written once and run in workerd (the Worker entry, Durable Objects, the
 * socket transport) and on Node (the Node entry, node:http, in-memory counts), against the same
 * simulators on a loopback port. Each harness says how to reach the edge and how to see CloudAgent
 * and the log.
 */
export interface EdgeHarness {
  runtime: 'workers' | 'node';
  request(path: string, init?: RequestInit): Promise<Response>;
  upstream: UpstreamView;
  /** Every log line the edge wrote so far. */
  logs(): string[];
}

export interface Answered {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, any>;
}

const PROBLEM = 'application/problem+json';

export function defineEdgeSuite(harness: () => EdgeHarness): void {
  const seen: string[] = [];
  const request = (path: string, init: RequestInit = {}) => harness().request(path, init);

  async function call(path: string, init: RequestInit & { team?: keyof typeof TEAM_TOKENS | null; json?: unknown } = {}): Promise<Answered> {
    const { team = 'alpha', json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (team) headers.set('authorization', `Bearer ${TEAM_TOKENS[team]}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    const response = await request(path, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    const text = await response.text();
    seen.push(text, JSON.stringify([...response.headers]));
    let parsed: Record<string, any> = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON; the test will say so through its assertions
    }
    return { status: response.status, headers: response.headers, text, json: parsed };
  }

  function expectProblem(answer: Answered, status: number, slug: string): void {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain(PROBLEM);
    expect(answer.json.type).toBe(`urn:cloudagent-phone:problem:${slug}`);
    expect(answer.json.status).toBe(status);
    expect(typeof answer.json.title).toBe('string');
    expect(typeof answer.json.detail).toBe('string');
    expect(answer.json.requestId).toBe(answer.headers.get('x-request-id'));
  }

  const v2Calls = async (u: UpstreamView) => [...(await u.calls('basic')), ...(await u.calls('token'))].filter((c) => c.version === 'v2');

  beforeEach(async () => {
    await harness().upstream.reset();
  });

  describe('public routes and headers', () => {
    it('serves /healthz and /openapi.json without a token', async () => {
      const health = await call('/healthz', { team: null });
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: 'ok', accounts: 3, teams: 4 });
      const doc = await call('/openapi.json', { team: null });
      expect(doc.status).toBe(200);
      expect(doc.json.openapi).toBe('3.1.0');
      expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/phone-numbers', '/phone-numbers/{phoneNumber}']));
      // Generated from core's schemas: the create body lists exactly core's create fields plus userName.
      const create = doc.json.paths['/phone-numbers'].post.requestBody.content['application/json'].schema;
      expect(Object.keys(create.properties).sort()).toEqual(['phoneName', 'phoneNumber', 'skill', 'userName']);
      expect(create.required.sort()).toEqual(['phoneName', 'phoneNumber', 'userName']);
      expect(create.additionalProperties).toBe(false);
    });

    it('mints a request id, or echoes a plain one, and sets secure headers', async () => {
      const minted = await call('/healthz', { team: null });
      expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const given = await call('/healthz', { team: null, headers: { 'x-request-id': 'trace-123.abc' } });
      expect(given.headers.get('x-request-id')).toBe('trace-123.abc');
      const hostile = await call('/healthz', { team: null, headers: { 'x-request-id': 'a b{"x":1}' } });
      expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(minted.headers.get('x-content-type-options')).toBe('nosniff');
      expect(minted.headers.get('x-frame-options')).toBe('DENY');
      expect(minted.headers.get('strict-transport-security')).toContain('max-age');
      expect(minted.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('serves the API reference page and its renderer, and 404 for a file it does not have', async () => {
      const page = await call('/docs', { team: null });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.text).toContain('/docs/swagger-ui-bundle.js');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const script = await call('/docs/reference.js', { team: null });
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('text/javascript');
      expect(script.text).toContain("url: '/openapi.json'");
      const style = await call('/docs/swagger-ui.css', { team: null });
      expect(style.headers.get('content-type')).toContain('text/css');
      expect(style.text.length).toBeGreaterThan(1_000);
      expectProblem(await call('/docs/no-such-file.js', { team: null }), 404, 'not-found');
      expectProblem(await call('/docs/.hidden', { team: null }), 404, 'not-found');
    });

    it('answers 405 and Allow on a public path called with another method', async () => {
      for (const path of ['/healthz', '/openapi.json', '/docs']) {
        const answer = await call(path, { method: 'POST', team: null });
        expectProblem(answer, 405, 'method-not-allowed');
        expect(answer.headers.get('allow')).toBe('GET');
      }
    });

    it('answers an unknown route with a 404 problem', async () => {
      expectProblem(await call('/nope', { team: null }), 404, 'not-found');
    });

    it('answers a method a phone-number route does not take with 405 and Allow', async () => {
      const put = await call('/phone-numbers/%2B919876543210', { method: 'PUT', json: { userName: 'demo', phoneName: 'Front-desk' } });
      expectProblem(put, 405, 'method-not-allowed');
      expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
      const list = await call('/phone-numbers', { method: 'PUT', json: { userName: 'demo' } });
      expectProblem(list, 405, 'method-not-allowed');
      expect(list.headers.get('allow')).toBe('GET, POST');
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });
  });

  describe('team auth', () => {
    const body = { userName: 'demo', phoneNumber: '7001112223', phoneName: 'Auth-check' };

    it('401 without a token, with an unknown token, or with another scheme', async () => {
      const none = await call('/phone-numbers', { method: 'POST', team: null, json: body });
      expectProblem(none, 401, 'unauthorized');
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expectProblem(await call('/phone-numbers', { method: 'POST', team: null, headers: { authorization: 'Bearer not-a-team-token' }, json: body }), 401, 'unauthorized');
      expectProblem(await call('/phone-numbers', { method: 'POST', team: null, headers: { authorization: `Basic ${TEAM_TOKENS.alpha}` }, json: body }), 401, 'unauthorized');
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });

    it('403 when the team is not granted the account, whether or not it exists', async () => {
      const wrongTeam = await call('/phone-numbers', { method: 'POST', team: 'beta', json: body });
      expectProblem(wrongTeam, 403, 'forbidden');
      expect(wrongTeam.json.detail).toContain('"beta"');
      expectProblem(await call('/phone-numbers', { method: 'POST', json: { ...body, userName: 'other' } }), 403, 'forbidden');
      expectProblem(await call('/phone-numbers', { method: 'POST', json: { ...body, userName: 'nobody' } }), 403, 'forbidden');
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });
  });

  describe('mutations', () => {
    it('creates: 200 with outcome success, and the number exists upstream', async () => {
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '+917001112223', phoneName: 'Sales-desk', skill: ['Sales'] } });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ outcome: 'success' });
      expect(answer.json.requestId).toBe(answer.headers.get('x-request-id'));
      expect(await harness().upstream.records('basic')).toContainEqual({ phoneNumber: '+917001112223', phoneName: 'Sales-desk', skills: ['Sales'] });
      expect(await v2Calls(harness().upstream)).toHaveLength(1);
    });

    it('partial success: 200 with outcome partial_success and the warning', async () => {
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112224', phoneName: 'Skill-less', skill: 'NoSuchSkill' } });
      expect(answer.status).toBe(200);
      expect(answer.json.outcome).toBe('partial_success');
      expect(answer.json.warning).toMatch(/failed to insert skills/);
    });

    it('edits the number named in the URL-encoded path', async () => {
      const answer = await call('/phone-numbers/%2B919876543210', { method: 'PATCH', json: { userName: 'demo', phoneName: 'Front-desk', phoneNameNew: 'Reception' } });
      expect(answer.status).toBe(200);
      expect(answer.json.outcome).toBe('success');
      expect((await harness().upstream.records('basic')).find((r) => r.phoneNumber === '+919876543210')?.phoneName).toBe('Reception');
    });

    it('deletes', async () => {
      const answer = await call('/phone-numbers/8001234567', { method: 'DELETE', json: { userName: 'demo', phoneName: 'Support-line' } });
      expect(answer.status).toBe(200);
      expect(answer.json.outcome).toBe('success');
      expect((await harness().upstream.records('basic')).map((r) => r.phoneNumber)).not.toContain('8001234567');
    });

    it('a number is the string it was given: leading zeros reach CloudAgent, a raw + in the path is a +, a JSON number is refused naming the field', async () => {
      const zeros = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '00917001112229', phoneName: 'Zeros' } });
      expect(zeros.status).toBe(200);
      expect(await harness().upstream.records('basic')).toContainEqual(expect.objectContaining({ phoneNumber: '00917001112229', phoneName: 'Zeros' }));
      const rawPlus = await call('/phone-numbers/+919876543210', { method: 'PATCH', json: { userName: 'demo', phoneName: 'Front-desk', phoneNameNew: 'Lobby' } });
      expect(rawPlus.status).toBe(200);
      expect((await harness().upstream.records('basic')).find((r) => r.phoneNumber === '+919876543210')?.phoneName).toBe('Lobby');
      const before = (await v2Calls(harness().upstream)).length;
      const asNumber = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: 7001112230, phoneName: 'Numeric' } });
      expectProblem(asNumber, 400, 'invalid-input');
      expect(asNumber.json.errors).toEqual([expect.objectContaining({ field: 'phoneNumber', rule: 'type-string' })]);
      expect(await v2Calls(harness().upstream)).toHaveLength(before);
    });

    it('409 when the number already exists', async () => {
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: SEED[0]!.phoneNumber, phoneName: 'Copy-cat' } });
      expectProblem(answer, 409, 'conflict');
      expect(answer.json.outcome).toBe('conflict');
    });

    it("422 when CloudAgent refuses (the account's number limit)", async () => {
      // The simulator allows 3 numbers and the seed has 2.
      expect((await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112225', phoneName: 'Third' } })).status).toBe(200);
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112226', phoneName: 'Fourth' } });
      expectProblem(answer, 422, 'rejected-by-cloudagent');
      expect(answer.json.outcome).toBe('limit_exceeded');
    });
  });

  describe('invalid requests change nothing', () => {
    it('400 problem+json naming each field and rule', async () => {
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '12-34', phoneName: '-bad name-', colour: 'red' } });
      expectProblem(answer, 400, 'invalid-input');
      const fields = answer.json.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['colour', 'phoneName', 'phoneNumber']);
      for (const error of answer.json.errors) {
        expect(typeof error.rule).toBe('string');
        expect(error.message).toContain(error.field);
      }
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });

    it('400 for malformed JSON, a non-object, a missing userName, or fields the route sets', async () => {
      const bad = await request('/phone-numbers', { method: 'POST', headers: { authorization: `Bearer ${TEAM_TOKENS.alpha}`, 'content-type': 'application/json' }, body: '{"userName": ' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain(PROBLEM);
      seen.push(await bad.text());
      expectProblem(await call('/phone-numbers', { method: 'POST', json: [1, 2] }), 400, 'invalid-input');
      const noUser = await call('/phone-numbers', { method: 'POST', json: { phoneNumber: '7001112227', phoneName: 'No-user' } });
      expectProblem(noUser, 400, 'invalid-input');
      expect(noUser.json.errors[0].field).toBe('userName');
      const routeField = await call('/phone-numbers/8001234567', { method: 'PATCH', json: { userName: 'demo', phoneNumber: '1', phoneName: 'Support-line', phoneNameNew: 'Renamed', action: 'delete' } });
      expectProblem(routeField, 400, 'invalid-input');
      expect(routeField.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'phoneNumber']);
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });

    it('one 400 names every wrong field at once, userName and the route-set fields included', async () => {
      const create = await call('/phone-numbers', { method: 'POST', json: { phoneNumber: 'abc', phoneName: '', action: 'create' } });
      expectProblem(create, 400, 'invalid-input');
      expect(create.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'phoneName', 'phoneNumber', 'userName']);
      const edit = await call('/phone-numbers/%2B919876543210', { method: 'PATCH', json: { userName: 'no spaces allowed', phoneName: 'Front-desk', phoneNumberNew: '12' } });
      expectProblem(edit, 400, 'invalid-input');
      expect(edit.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['phoneNumberNew', 'userName']);
      // Invalid input is a 400 even for an account the team is not granted: nothing is revealed by it.
      const remove = await call('/phone-numbers/8001234567', { method: 'DELETE', team: 'beta', json: { userName: 'demo' } });
      expectProblem(remove, 400, 'invalid-input');
      expect(remove.json.errors.map((e: { field: string }) => e.field)).toEqual(['phoneName']);
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });

    it('415 when the body is not JSON', async () => {
      const answer = await call('/phone-numbers', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'userName=demo' });
      expectProblem(answer, 415, 'unsupported-media-type');
    });

    it('413 when the body is over 16 KB', async () => {
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112228', phoneName: 'x'.repeat(17 * 1024) } });
      expectProblem(answer, 413, 'body-too-large');
      // Refused before the token is even looked at, and whatever the content type.
      expectProblem(await call('/phone-numbers', { method: 'POST', team: null, json: { userName: 'demo', phoneName: 'x'.repeat(17 * 1024) } }), 413, 'body-too-large');
      expectProblem(await call('/phone-numbers/8001234567', { method: 'PATCH', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(16 * 1024 + 1) }), 413, 'body-too-large');
      // 16 KB exactly is within the limit (this one is refused for its content, not its size).
      expectProblem(await call('/phone-numbers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ' '.repeat(16 * 1024) }), 400, 'invalid-input');
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });
  });

  describe('rate limits', () => {
    it("429 with Retry-After once a team is over its limit, counting concurrent requests exactly", async () => {
      const tries = await Promise.all(
        Array.from({ length: GAMMA_LIMIT + 3 }, () => call('/phone-numbers', { method: 'POST', team: 'gamma', json: { userName: 'demo' } })),
      );
      const statuses = tries.map((t) => t.status).sort();
      expect(statuses.filter((s) => s === 400)).toHaveLength(GAMMA_LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
      const refused = tries.find((t) => t.status === 429)!;
      expectProblem(refused, 429, 'rate-limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Other teams are counted on their own.
      expect((await call('/phone-numbers', { method: 'POST', json: { userName: 'demo' } })).status).toBe(400);
    });

    it("429 with CloudAgent's Retry-After when CloudAgent rate-limits", async () => {
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'rate-limit', retryAfterSeconds: 7 }] });
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112229', phoneName: 'Limited' } });
      expectProblem(answer, 429, 'rate-limited');
      expect(answer.headers.get('retry-after')).toBe('7');
      expect(answer.json.outcome).toBe('rate_limited');
      expect(await v2Calls(harness().upstream)).toHaveLength(1);
    });
  });

  describe('CloudAgent failures', () => {
    it('502 when CloudAgent refuses the credentials the edge holds', async () => {
      // The "other" account's key is not the one the simulator knows.
      const answer = await call('/phone-numbers', { method: 'POST', team: 'beta', json: { userName: 'other', phoneNumber: '7001112230', phoneName: 'Refused' } });
      expectProblem(answer, 502, 'bad-gateway');
      expect(answer.json.outcome).toBe('auth_error');
    });

    it('a 5xx after applying is read back through the client: success, sent once', async () => {
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'server-error', afterApplying: true }] });
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112231', phoneName: 'Ambiguous' } });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ outcome: 'success', applied: 'yes', nextStep: 'done' });
      const calls = await v2Calls(harness().upstream);
      expect(calls.filter((c) => c.action === 'create')).toHaveLength(1);
      expect(calls.filter((c) => c.action === 'get')).toHaveLength(1);
    });

    it('an HTML 404 page from a gateway to an edit is never "failed": read back, it is the truth', async () => {
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'html-error', status: 404, afterApplying: true }] });
      const answer = await call('/phone-numbers/%2B919876543210', { method: 'PATCH', json: { userName: 'demo', phoneName: 'Front-desk', phoneNameNew: 'Front-desk-b' } });
      expect((await harness().upstream.records('basic')).find((r) => r.phoneNumber === '+919876543210')?.phoneName).toBe('Front-desk-b');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ outcome: 'success', applied: 'yes' });
    });

    it('a 5xx before applying, read back: 502 with applied "no" and nextStep resend_safe', async () => {
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'server-error' }] });
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112234', phoneName: 'Not-yet' } });
      expectProblem(answer, 502, 'bad-gateway');
      expect(answer.json).toMatchObject({ outcome: 'server_error', applied: 'no', nextStep: 'resend_safe' });
    });

    it('a garbled answer is read back; a number that does not exist is 404 phone-number-not-found', async () => {
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'garbled' }] });
      const garbled = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112232', phoneName: 'Garbled' } });
      expect(garbled.json).toMatchObject({ outcome: 'success', applied: 'yes' });
      const missing = await call('/phone-numbers/5550001111', { method: 'PATCH', json: { userName: 'demo', phoneName: 'Nowhere', phoneNameNew: 'Renamed' } });
      expectProblem(missing, 404, 'phone-number-not-found');
      expect(missing.json).toMatchObject({ outcome: 'not_found', applied: 'no', nextStep: 'not_found', nameMismatch: false });
      const gone = await call('/phone-numbers/5550001111', { method: 'DELETE', json: { userName: 'demo', phoneName: 'Nowhere' } });
      expectProblem(gone, 404, 'phone-number-not-found');
      const lookup = await call('/phone-numbers/5550001111?userName=demo');
      expectProblem(lookup, 404, 'phone-number-not-found');
      expect(lookup.json).not.toHaveProperty('applied');
    });

    it('DELETE takes userName and phoneName from the query string when no body is sent', async () => {
      const created = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112299', phoneName: 'ByQuery' } });
      expect(created.status).toBe(200);
      const deleted = await call('/phone-numbers/7001112299?userName=demo&phoneName=ByQuery', { method: 'DELETE' });
      expect(deleted.status).toBe(200);
      expect(deleted.json).toMatchObject({ outcome: 'success', applied: 'yes' });
      expect((await harness().upstream.records('basic')).map((r) => r.phoneNumber)).not.toContain('7001112299');
      const missingName = await call('/phone-numbers/7001112299?userName=demo', { method: 'DELETE' });
      expectProblem(missingName, 400, 'invalid-input');
      expect(missingName.json.errors.map((e: { field: string }) => e.field)).toContain('phoneName');
    });

    it('504 with outcome unknown when a mutation times out, and the upstream call is cancelled', async () => {
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'latency', ms: TIMEOUT_MS * 3 }] });
      const answer = await call('/phone-numbers', { method: 'POST', json: { userName: 'demo', phoneNumber: '7001112233', phoneName: 'Too-slow' } });
      expectProblem(answer, 504, 'upstream-timeout');
      expect(answer.json.outcome).toBe('unknown');
      expect(answer.json.detail).toMatch(/may or may not have been applied/);
      expect(await harness().upstream.requests()).toHaveLength(1);
      await vi.waitFor(async () => expect((await harness().upstream.requests())[0]!.cancelled).toBe(true), { timeout: TIMEOUT_MS * 4, interval: 50 });
    });
  });

  describe('lookup', () => {
    it('GET /phone-numbers/{n}: found, with one v2 get (a GET with a JSON body)', async () => {
      const answer = await call(`/phone-numbers/${encodeURIComponent(SEED[0]!.phoneNumber)}?userName=demo`);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ outcome: 'success', phoneNumber: SEED[0]!.phoneNumber, phoneName: SEED[0]!.phoneName });
      const calls = await v2Calls(harness().upstream);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: 'GET', action: 'get' });
    });

    it('lookup checks the team token, the grant and the account before calling CloudAgent', async () => {
      expectProblem(await call(`/phone-numbers/8001234567?userName=demo`, { team: null }), 401, 'unauthorized');
      expectProblem(await call(`/phone-numbers/8001234567?userName=demo`, { team: 'beta' }), 403, 'forbidden');
      const noUser = await call(`/phone-numbers/%2B919876543210`);
      expectProblem(noUser, 400, 'invalid-input');
      expect(noUser.json.errors.map((e: { field: string }) => e.field)).toEqual(['userName']);
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });
  });

  describe('lookup by name', () => {
    it('GET /phone-numbers?phoneName=: found whatever the case, with one v2 get by name', async () => {
      const answer = await call(`/phone-numbers?userName=demo&phoneName=${encodeURIComponent(SEED[1]!.phoneName.toUpperCase())}`);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ outcome: 'success', nextStep: 'done', phoneNumber: SEED[1]!.phoneNumber, phoneName: SEED[1]!.phoneName });
      expect(answer.json.requestId).toBe(answer.headers.get('x-request-id'));
      expect(answer.headers.get('ratelimit-limit')).toBe('10000');
      const calls = await v2Calls(harness().upstream);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ method: 'GET', action: 'get' });
    });

    it('404 phone-number-not-found for a name the account does not have', async () => {
      const answer = await call('/phone-numbers?userName=demo&phoneName=No-such-line');
      expectProblem(answer, 404, 'phone-number-not-found');
      expect(answer.json).toMatchObject({ outcome: 'not_found', nextStep: 'not_found' });
      expect(answer.json).not.toHaveProperty('applied');
      expect(await v2Calls(harness().upstream)).toHaveLength(1);
    });

    it("400 naming phoneName and core's rule for no name, an empty one or one with a line break; nothing sent", async () => {
      for (const query of ['userName=demo', 'userName=demo&phoneName=', 'userName=demo&phoneName=%20%20', 'userName=demo&phoneName=Front%0Adesk']) {
        const answer = await call(`/phone-numbers?${query}`);
        expectProblem(answer, 400, 'invalid-input');
        expect(answer.json.errors, query).toEqual([expect.objectContaining({ field: 'phoneName', rule: 'existing-phone-name-format' })]);
        expect(answer.json.detail).toMatch(/phoneName must be the existing name/);
      }
      // Every wrong field at once: the account too.
      const both = await call('/phone-numbers?phoneName=');
      expect(both.json.errors.map((e: { field: string }) => e.field)).toEqual(['userName', 'phoneName']);
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
    });

    it('checks the team token, the grant and the rate as a lookup by number does', async () => {
      expectProblem(await call('/phone-numbers?userName=demo&phoneName=Front-desk', { team: null }), 401, 'unauthorized');
      expectProblem(await call('/phone-numbers?userName=demo&phoneName=Front-desk', { team: 'beta' }), 403, 'forbidden');
      expect(await v2Calls(harness().upstream)).toHaveLength(0);
      // Counted in the team's rate: gamma's few a minute run out within GAMMA_LIMIT + 1 lookups
      // (sooner when the rate-limit tests spent them in the same minute), and a refused one sends nothing.
      const answers: Answered[] = [];
      for (let i = 0; i <= GAMMA_LIMIT; i += 1) answers.push(await call('/phone-numbers?userName=demo&phoneName=Front-desk', { team: 'gamma' }));
      const refused = answers.filter((a) => a.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) expectProblem(answer, 429, 'rate-limited');
      const found = answers.filter((a) => a.status === 200);
      expect(found.length + refused.length).toBe(answers.length);
      expect(await v2Calls(harness().upstream)).toHaveLength(found.length);
    });
  });

  describe('token-auth accounts', () => {
    it('concurrent requests share one token: exactly one generation', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          call('/phone-numbers', { method: 'POST', json: { userName: 'tokenco', phoneNumber: `71000000${i}`, phoneName: `Token-line-${i}` } }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(await harness().upstream.records('token')).toHaveLength(SEED.length + 6);
      const generations = (await harness().upstream.calls('token')).filter((c) => c.version === 'token');
      expect(generations).toHaveLength(1);
      expect((await v2Calls(harness().upstream)).every((c) => c.auth === 'bearer')).toBe(true);

      // CloudAgent forgets the token (as when another client generates one): every request in
      // flight is refused with it, and still only one replacement is generated.
      await harness().upstream.resetAccount('token');
      const again = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          call('/phone-numbers', { method: 'POST', json: { userName: 'tokenco', phoneNumber: `72000000${i}`, phoneName: `Token-again-${i}` } }),
        ),
      );
      expect(again.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect((await harness().upstream.calls('token')).filter((c) => c.version === 'token')).toHaveLength(1);
    });
  });

  describe('the typed client (@cloudagent-phone/edge-client)', () => {
    /** The client over this runtime's edge, through the contract-checked request; records the keys it sends. */
    function edgeClient(team: keyof typeof TEAM_TOKENS = 'alpha', maxDelayMs = 50) {
      const keys: (string | null)[] = [];
      const client = createEdgeClient({
        baseUrl: 'http://edge.test',
        token: TEAM_TOKENS[team],
        retry: { baseDelayMs: 5, maxDelayMs },
        fetch: (url, init) => {
          keys.push(new Headers(init.headers).get('idempotency-key'));
          const { pathname, search } = new URL(url);
          return request(`${pathname}${search}`, init);
        },
      });
      return { client, keys };
    }

    it('creates, edits, looks up and deletes, each mutation with an Idempotency-Key of its own', async () => {
      const { client, keys } = edgeClient();
      const created = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '+917300000001', phoneName: 'Client-desk', skill: 'Sales' });
      expect(created).toMatchObject({ ok: true, status: 200, attempts: 1, replayed: false, data: { outcome: 'success' } });
      expect(created.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const edited = await client.editPhoneNumber('+917300000001', { userName: 'demo', phoneName: 'Client-desk', phoneNameNew: 'Client-renamed' });
      expect(edited).toMatchObject({ ok: true, data: { outcome: 'success' } });
      const found = await client.getPhoneNumber('+917300000001', { userName: 'demo' });
      expect(found).toMatchObject({ ok: true, attempts: 1, data: { phoneNumber: '+917300000001', phoneName: 'Client-renamed' } });
      const byName = await client.getPhoneNumberByName('client-RENAMED', { userName: 'demo' });
      expect(byName).toMatchObject({ ok: true, status: 200, attempts: 1, idempotencyKey: undefined, data: { outcome: 'success', phoneNumber: '+917300000001', phoneName: 'Client-renamed' } });
      const deleted = await client.deletePhoneNumber('+917300000001', { userName: 'demo', phoneName: 'Client-renamed' });
      expect(deleted).toMatchObject({ ok: true, data: { outcome: 'success' } });
      expect((await harness().upstream.records('basic')).map((r) => r.phoneNumber)).not.toContain('+917300000001');
      const mutationKeys = [created, edited, deleted].map((r) => r.idempotencyKey);
      expect(new Set(mutationKeys).size).toBe(3);
      expect(keys).toEqual([mutationKeys[0], mutationKeys[1], null, null, mutationKeys[2]]);
    });

    it("gives CloudAgent's refusal back as a typed problem, without retrying it", async () => {
      const { client } = edgeClient();
      const answer = await client.createPhoneNumber({ userName: 'demo', phoneNumber: SEED[0]!.phoneNumber, phoneName: 'Copy-cat' });
      expect(answer).toMatchObject({ ok: false, status: 409, attempts: 1, problem: { type: 'urn:cloudagent-phone:problem:conflict', outcome: 'conflict' } });
      // Sent once (the edge's own read-back of the conflict is a lookup).
      expect((await v2Calls(harness().upstream)).filter((c) => c.action === 'create')).toHaveLength(1);
    });

    it('looks up by name, a name with spaces and a + included, and gives a missing one back as a typed 404', async () => {
      const { client } = edgeClient();
      const created = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '7300000003', phoneName: '+Desk.7@b' });
      expect(created.ok).toBe(true);
      const found = await client.getPhoneNumberByName('+desk.7@B', { userName: 'demo' });
      expect(found).toMatchObject({ ok: true, data: { phoneNumber: '7300000003', phoneName: '+Desk.7@b' } });
      const missing = await client.getPhoneNumberByName('Nobody here', { userName: 'demo' });
      expect(missing).toMatchObject({ ok: false, status: 404, attempts: 1, problem: { type: 'urn:cloudagent-phone:problem:phone-number-not-found', outcome: 'not_found' } });
    });

    it('retries a read after a 5xx from CloudAgent, after the Retry-After the edge sends', async () => {
      const { client } = edgeClient('alpha', 10_000);
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'server-error' }] });
      const answer = await client.getPhoneNumber(SEED[0]!.phoneNumber, { userName: 'demo' });
      expect(answer).toMatchObject({ ok: true, attempts: 2, data: { phoneNumber: SEED[0]!.phoneNumber } });
      expect(await v2Calls(harness().upstream)).toHaveLength(2);
    });

    it('retries an ambiguous 5xx with the same Idempotency-Key, and CloudAgent sees the create once', async () => {
      const { client, keys } = edgeClient();
      // Applied, then a 5xx, and the edge's own read-back fails too: the edge answers unknown.
      await harness().upstream.setFaults('basic', { queue: [{ kind: 'server-error', afterApplying: true }, { kind: 'server-error' }, { kind: 'server-error' }] });
      const answer = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '7300000002', phoneName: 'Client-retry' });
      expect(answer.attempts).toBeGreaterThanOrEqual(2);
      expect(new Set(keys)).toEqual(new Set([answer.idempotencyKey]));
      // The repeats were answered by the edge (replayed, or settled by reading back), never sent again.
      expect((await v2Calls(harness().upstream)).filter((c) => c.action === 'create')).toHaveLength(1);
      expect((await harness().upstream.records('basic')).filter((r) => r.phoneNumber === '7300000002')).toHaveLength(1);
    });
  });

  describe('secrets', () => {
    it('no canary key in any answer or log line', () => {
      const logs = harness().logs();
      expect(logs.length).toBeGreaterThan(10);
      expect(seen.length).toBeGreaterThan(10);
      for (const text of [...seen, ...logs]) {
        for (const canary of CANARIES) expect(text).not.toContain(canary);
      }
      // The log is structured JSON, one object a line.
      for (const line of logs) expect(() => JSON.parse(line)).not.toThrow();
    });
  });
}
