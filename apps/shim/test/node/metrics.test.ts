// What operators read at /_shim/metrics: per-account calls, quirks rescued, translation mismatches.
import { describe, expect, it } from 'vitest';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { ADMIN_TOKEN, KEY, USER, makeHarness } from '../matrix.js';

const auth = `apiKey=${KEY}&userName=${USER}`;
const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

describe('/_shim/metrics', () => {
  it('counts calls by account, action, route and outcome, quirks and mismatches, with no key anywhere', async () => {
    const h = makeHarness();
    await h.send({ query: `?&action=create&${auth}&phoneNumber=+917000000201&phoneName=A1&phoneName=B2&skill=General&assignSkill=Sales` });
    await h.send({ query: `?action=create&${auth}&phoneNumber=&phoneName=X1` });
    await h.send({ query: `?action=delete&phoneNumber=%2B919876543210&phoneName=Support` });
    const text = await (await h.shim.fetch(new Request('http://shim.test/_shim/metrics', admin))).text();
    const m = JSON.parse(text);
    expect(m.calls).toEqual([
      { account: USER, action: 'create', route: 'v2', outcome: 'success', count: 1 },
      { account: USER, action: 'create', route: 'local', outcome: 'rejected-locally', count: 1 },
      { account: '(none)', action: 'delete', route: 'local', outcome: 'rejected-locally', count: 1 },
    ]);
    expect(m.totals.quirks).toMatchObject({ 'leading-ampersand': 1, 'plus-as-space': 1, 'duplicate-key': 1 });
    // assignSkill is not a create parameter (v1 ignored it); the two phoneName values disagreed.
    expect(m.totals.mismatches).toMatchObject({ 'unused-parameter': 1, 'conflicting-duplicate': 1 });
    expect(m.v2Calls).toBe(1);
    expect(h.v2Mutations()[0]?.params).toMatchObject({ phoneName: 'B2', skill: 'General' });
    expect(text).not.toContain(KEY);
  });

  it('answers 404 when no admin token is configured, and 401 for a wrong one', async () => {
    const open = createShim({ config: configFromEnv({}), v2Transport: createFetchTransport({ fetch: () => Promise.reject(new Error('no network in tests')) }), log: () => {} });
    expect((await open.fetch(new Request('http://shim.test/_shim/metrics'))).status).toBe(404);
    const h = makeHarness();
    const wrong = await h.shim.fetch(new Request('http://shim.test/_shim/metrics', { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } }));
    expect(wrong.status).toBe(401);
    expect((await h.shim.fetch(new Request('http://shim.test/_shim/health'))).status).toBe(200);
  });
});
