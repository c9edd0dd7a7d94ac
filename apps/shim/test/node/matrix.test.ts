import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DOCUMENTED_ERRORS, KEY, REQUEST_SHAPES, makeHarness, type MatrixCase } from '../matrix.js';

async function check(c: MatrixCase) {
  const h = makeHarness(c.phoneNumberLimit !== undefined ? { phoneNumberLimit: c.phoneNumberLimit } : {});
  const res = await h.send(c.request);
  expect(res.status).toBe(200);
  expect(res.body).toBe(c.expected);
  if (c.referenceAgrees) expect(res.body).toBe((await h.sendToReference(c.request)).body);
  expect(res.headers.get('deprecation')).toBe('@1745971200');

  const mutations = h.v2Mutations();
  expect(mutations).toHaveLength(c.v2Calls);
  if (c.v2Params) expect(mutations[0]?.params).toMatchObject(c.v2Params);
  for (const call of mutations) expect(call.auth).toBe('apiKey'); // the key travelled as the header

  const metrics = await h.shim.fetch(new Request('http://shim.test/_shim/metrics', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
  const snapshot = await metrics.text();
  for (const quirk of c.quirks ?? []) expect(JSON.parse(snapshot).totals.quirks[quirk]).toBe(1);

  expect(h.logs.length).toBeGreaterThan(0);
  for (const text of [...h.logs, snapshot, res.body, JSON.stringify([...res.headers])]) expect(text).not.toContain(KEY);
}

describe('legacy-client matrix on Node: request shapes', () => {
  for (const c of REQUEST_SHAPES) it(c.name, () => check(c));
});

describe('legacy-client matrix on Node: every documented v1 error', () => {
  for (const c of DOCUMENTED_ERRORS) it(c.name, () => check(c));
});
