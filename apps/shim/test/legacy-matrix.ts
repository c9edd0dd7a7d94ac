// The legacy-client matrix as one suite, runtime-neutral: test/node/matrix.test.ts runs it on Node,
// test/workerd/matrix.test.ts inside workerd. Each case (test/matrix.ts) is sent once to the shim
// and checked whole: the exact v1 bytes (and the reference v1's, where v1 itself would agree), the
// deprecation headers, the v2 mutations that went out and how the key travelled, the quirks the
// metrics counted, and the key in no log line, metrics snapshot, answer or header.
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, DOCUMENTED_ERRORS, KEY, REQUEST_SHAPES, makeHarness, type MatrixCase } from './matrix.js';

async function checkCase(c: MatrixCase): Promise<void> {
  const h = makeHarness(c.phoneNumberLimit !== undefined ? { phoneNumberLimit: c.phoneNumberLimit } : {});
  const res = await h.send(c.request);
  expect(res.status).toBe(200);
  expect(res.body).toBe(c.expected);
  if (c.referenceAgrees) expect(res.body).toBe((await h.sendToReference(c.request)).body);
  expect(res.headers.get('deprecation')).toBe('@1745971200');
  expect(res.headers.get('sunset')).toBe('Wed, 30 Apr 2025 00:00:00 GMT');

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

/** Every case of the matrix, under `runtime` in the suite's title. */
export function describeLegacyMatrix(runtime: string): void {
  describe(`legacy-client matrix ${runtime}: request shapes`, () => {
    for (const c of REQUEST_SHAPES) it(c.name, () => checkCase(c));
  });

  describe(`legacy-client matrix ${runtime}: every documented v1 error`, () => {
    for (const c of DOCUMENTED_ERRORS) it(c.name, () => checkCase(c));
  });
}
