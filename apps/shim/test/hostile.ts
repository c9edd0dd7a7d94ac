// The hostile-input suite, runtime-neutral so the same generated requests run on Node and inside
// workerd. Every generated request carries at least one defect the shim must catch itself, so none
// may reach v2; the junk-name run sends well-formed names with wrong keys, which v2 refuses.
import { VENDOR_MESSAGES } from '@cloudagent-phone/core';
import { createFetchTransport } from '@cloudagent-phone/transport';
import fc from 'fast-check';
import { expect } from 'vitest';
import { createShim, type Shim } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { ADMIN_TOKEN, KEY, PATH, USER, type Harness } from './matrix.js';

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;
/** Every status the shim documents for a request it refuses (README "Limits"); no 5xx. */
export const DOCUMENTED_REFUSALS = [200, 400, 405, 408, 413, 414];

const BASE = 'http://shim.test';
const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

interface Generated {
  method: string;
  query: [string, string][];
  /** Appended raw after the encoded pairs: stray escapes and separators. */
  rawTail: string;
  body?: { contentType?: string; pairs?: [string, string][]; text?: string; multipart?: boolean };
  defect: string;
}

const junk = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(...PROTOTYPE_NAMES, '', ' ', '%', '\u0000', '\u007f', '\u20ac', '+919876543210', 'a'.repeat(300)),
);
// Extra parameters never carry credentials, the action or the identifying fields, so they cannot
// repair the defect that the request is built around.
const FORBIDDEN_EXTRA = new Set(['apikey', 'api_key', 'username', 'user_name', 'action', 'phonenumber', 'phonename']);
const extraKey = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, 'phoneNumberNew', 'PhoneNameNew', 'skill', 'assignSkill', 'unAssignSkill', 'x'), fc.string({ maxLength: 12 })).filter((k) => !FORBIDDEN_EXTRA.has(k.toLowerCase().trim()));
const extras = fc.array(fc.tuple(extraKey, junk), { maxLength: 6 });
const mutation = fc.constantFrom('create', 'edit', 'delete');
const fields = (action: string): [string, string][] =>
  action === 'create' ? [['phoneNumber', '+917000000999'], ['phoneName', 'Hostile1']] : [['phoneNumber', '+919876543210'], ['phoneName', 'Support'], ['PhoneNameNew', 'Hostile2']];

/** The defects, each enough on its own to keep a request from being sent. */
const defect: fc.Arbitrary<{ defect: string; method?: string; params: [string, string][]; huge?: 'query' | 'body' }> = fc.oneof(
  fc.record({ defect: fc.constant('method'), method: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), params: mutation.map((a) => [['action', a], ['userName', USER], ['apiKey', KEY], ...fields(a)] as [string, string][]) }),
  fc.record({ defect: fc.constant('user-too-long'), params: fc.tuple(mutation, fc.integer({ min: 65, max: 400 })).map(([a, n]) => [['action', a], ['userName', 'u'.repeat(n)], ['apiKey', KEY], ...fields(a)] as [string, string][]) }),
  fc.record({ defect: fc.constant('user-malformed'), params: fc.tuple(mutation, fc.constantFrom('ac me', 'ac\u0000me', 'ac\u007fme', 'a\tb', ' ')).map(([a, u]) => [['action', a], ['userName', u], ['apiKey', KEY], ...fields(a)] as [string, string][]) }),
  fc.record({ defect: fc.constant('key-unsafe'), params: fc.tuple(mutation, fc.constantFrom('\u0000', '\u007f', '\u20ac', ' x', '\t', '\u00e9', '\r\n')).map(([a, bad]) => [['action', a], ['userName', USER], ['apiKey', `${KEY}${bad}`], ...fields(a)] as [string, string][]) }),
  fc.record({ defect: fc.constant('no-key'), params: mutation.map((a) => [['action', a], ['userName', USER], ...fields(a)] as [string, string][]) }),
  fc.record({ defect: fc.constant('no-user'), params: mutation.map((a) => [['action', a], ['apiKey', KEY], ...fields(a)] as [string, string][]) }),
  fc.record({ defect: fc.constant('action'), params: fc.constantFrom('get', 'CREATE', 'Create', ' create', '', 'remove', ...PROTOTYPE_NAMES).map((a) => [['action', a], ['userName', USER], ['apiKey', KEY], ...fields('create')] as [string, string][]) }),
  fc.record({ defect: fc.constant('bad-number'), params: fc.constantFrom('abc', '12', '98-765', '', '+').map((n) => [['action', 'create'], ['userName', USER], ['apiKey', KEY], ['phoneNumber', n], ['phoneName', 'Desk1']] as [string, string][]) }),
  fc.record({ defect: fc.constant('prototype-user'), params: fc.constantFrom(...PROTOTYPE_NAMES).map((u) => [['action', 'create'], ['userName', u], ['apiKey', `${KEY}\u0000`], ...fields('create')] as [string, string][]) }),
  fc.record({ defect: fc.constant('too-large'), huge: fc.constantFrom('query' as const, 'body' as const), params: fc.constant([['action', 'create'], ['userName', USER], ['apiKey', KEY], ...fields('create')] as [string, string][]) }),
);

const HUGE = 'x'.repeat(70 * 1024);

export const malformedRequest: fc.Arbitrary<Generated> = fc
  .record({ d: defect, extra: extras, rawTail: fc.constantFrom('', '&&', '&%', '&%zz=1', '&=', '&+=+', '&%00=%00', '&a[]=1'), post: fc.constantFrom('form', 'multipart', 'json', 'none', 'query') })
  .map(({ d, extra, rawTail, post }) => {
    const method = d.method ?? (d.huge === 'body' || post !== 'query' ? 'POST' : 'GET');
    const huge: [string, string][] = d.huge === 'query' ? [['skill', HUGE]] : [];
    if (method !== 'POST' || d.huge === 'query') return { method, query: [...extra, ...d.params, ...huge], rawTail, defect: d.defect };
    if (d.huge === 'body') return { method, query: extra, rawTail, body: { contentType: 'application/x-www-form-urlencoded', pairs: [...d.params, ['skill', HUGE]] }, defect: d.defect };
    if (post === 'form') return { method, query: extra, rawTail, body: { contentType: 'application/x-www-form-urlencoded', pairs: [...extra, ...d.params] }, defect: d.defect };
    if (post === 'multipart') return { method, query: extra, rawTail, body: { pairs: [...extra, ...d.params], multipart: true }, defect: d.defect };
    // A body the shim ignores (JSON, none): the defect travels in the query.
    return { method, query: [...extra, ...d.params, ...huge], rawTail, body: post === 'json' ? { contentType: 'application/json', text: '{"__proto__":{"x":1},"constructor":1}' } : {}, defect: d.defect };
  });

const encodePairs = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

function multipart(pairs: [string, string][]): { contentType: string; text: string } {
  const boundary = 'hostileBoundary7MA4YWxk';
  const parts = pairs.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"\r\n\r\n${v}\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, text: `${parts.join('')}--${boundary}--\r\n` };
}

export function toRequest(g: Generated): Request {
  const url = `${BASE}${PATH}?${encodePairs(g.query)}${g.rawTail}`;
  if (g.method !== 'POST' || !g.body) return new Request(url, { method: g.method });
  if (g.body.multipart) {
    const m = multipart(g.body.pairs ?? []);
    return new Request(url, { method: 'POST', headers: { 'content-type': m.contentType }, body: m.text });
  }
  const text = g.body.pairs ? encodePairs(g.body.pairs) : (g.body.text ?? '');
  return new Request(url, { method: 'POST', ...(g.body.contentType ? { headers: { 'content-type': g.body.contentType } } : {}), ...(text !== '' ? { body: text } : {}) });
}

/** Sends `runs` generated malformed requests; asserts each answer, then that nothing reached v2. */
export async function fuzzMalformed(h: Harness, runs: number): Promise<{ byDefect: Map<string, number> }> {
  const byDefect = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(malformedRequest, async (g) => {
      byDefect.set(g.defect, (byDefect.get(g.defect) ?? 0) + 1);
      const response = await h.shim.fetch(toRequest(g));
      const text = await response.text();
      expect(DOCUMENTED_REFUSALS, `${g.defect}: HTTP ${response.status}`).toContain(response.status);
      if (g.method === 'HEAD' || g.method === 'OPTIONS' || g.method === 'PUT' || g.method === 'DELETE' || g.method === 'PATCH') {
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('GET, POST');
      }
      if (text !== '') expect(JSON.parse(text).status, `${g.defect}: ${text}`).toBe('error');
      expect(text).not.toContain(KEY);
      for (const [, value] of response.headers) expect(value).not.toContain(KEY);
    }),
    { numRuns: runs },
  );
  expect(h.v2.control.calls(), 'a malformed request reached v2').toHaveLength(0);
  for (const line of h.logs) {
    expect(line).not.toContain(KEY);
    expect(JSON.parse(line).level).not.toBe('error');
  }
  const metrics = (await (await h.shim.fetch(new Request(`${BASE}/_shim/metrics`, admin))).json()) as { calls: { account: string }[] };
  for (const row of metrics.calls) expect(['(none)', '(unverified)']).toContain(row.account);
  return { byDefect };
}

/**
 * A stand-in for v2 that answers like CloudAgent and keeps nothing: the real account's key succeeds,
 * anything else gets "userName or apiKey not valid". (The simulator keeps a log of every call, which
 * would hide whether the shim's own memory stays flat.)
 */
export function statelessV2(): { fetch: typeof fetch; calls(): number } {
  let calls = 0;
  return {
    calls: () => calls,
    fetch: async (input, init) => {
      calls++;
      // Without the signal: on Node, undici keeps a Request built with a signal reachable long after
      // it is done (about 2 KB a call, measured), which would be the stand-in's memory, not the shim's.
      const request = new Request(input, { ...init, signal: null });
      const body = JSON.parse(await request.text()) as { userName?: string };
      const ok = body.userName === USER && request.headers.get('apikey') === KEY;
      const answer = ok ? { status: 'success', message: VENDOR_MESSAGES.success } : { status: 'error', message: VENDOR_MESSAGES.authInvalid };
      return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
    },
  };
}

export interface JunkRun {
  shim: Shim;
  v2: ReturnType<typeof statelessV2>;
  /** Log lines seen (checked as they come, not kept). */
  lines(): number;
  /** Sends `count` junk names, i from `from`: mostly 64 characters, some of 1 MB, some of 5 KB, some prototype names. */
  send(from: number, count: number): Promise<void>;
  real(n: number): Promise<Response>;
  metrics(): Promise<string>;
}

const ONE_MB = 'm'.repeat(1024 * 1024);
const FIVE_KB = 'k'.repeat(5 * 1024);

function name64(i: number): string {
  const stem = `junk${i.toString(36)}x`;
  return stem + 'z'.repeat(64 - stem.length);
}

export function junkRun(): JunkRun {
  const v2 = statelessV2();
  let lines = 0;
  const shim = createShim({
    config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_ADMIN_TOKEN: ADMIN_TOKEN, SHIM_MODE: 'verify', SHIM_TRANSLATION_LOG_BYTES: '200000' }),
    v2Transport: createFetchTransport({ fetch: v2.fetch }),
    log: (line) => {
      lines++;
      if (line.includes(KEY)) throw new Error('the canary key reached a log line');
      if (line.length > 4096) throw new Error(`a log line of ${line.length} characters`);
    },
  });
  const get = (query: string) => shim.fetch(new Request(`${BASE}${PATH}?${query}`));
  return {
    shim,
    v2,
    lines: () => lines,
    async send(from, count) {
      for (let i = from; i < from + count; i++) {
        const create = `action=create&phoneNumber=%2B9170${String(i % 1e8).padStart(8, '0')}&phoneName=Junk1`;
        let response: Response;
        if (i % 1000 === 7) response = await get(`${create}&apiKey=${KEY}&userName=${ONE_MB}`);
        else if (i % 1000 === 8) {
          response = await shim.fetch(new Request(`${BASE}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${create}&apiKey=${KEY}&userName=${ONE_MB}` }));
        } else if (i % 500 === 9) response = await get(`${create}&apiKey=wrong-${i}&userName=${FIVE_KB}`);
        else if (i % 250 === 11) response = await get(`${create}&apiKey=wrong-${i}&userName=${PROTOTYPE_NAMES[i % 4]}`);
        else response = await get(`${create}&apiKey=wrong-${i}&userName=${name64(i)}`);
        const text = await response.text();
        if (response.status >= 500 || text.includes(KEY)) throw new Error(`junk name ${i}: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
    },
    real: (n) => get(`action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B91700${String(n).padStart(7, '0')}&phoneName=Real${n}`),
    metrics: async () => (await shim.fetch(new Request(`${BASE}/_shim/metrics`, admin))).text(),
  };
}

/** What the junk run must leave behind: the real account labelled, junk under one label, small structures. */
export async function expectBoundedAfterJunk(run: JunkRun, realCalls: number): Promise<void> {
  const text = await run.metrics();
  const metrics = JSON.parse(text) as { calls: { account: string; outcome: string; count: number }[] };
  const labels = new Set(metrics.calls.map((c) => c.account));
  for (const label of labels) expect([USER, '(unverified)', '(none)']).toContain(label);
  expect(metrics.calls.filter((c) => c.account === USER && c.outcome === 'success').reduce((n, c) => n + c.count, 0)).toBe(realCalls);
  expect(text.length).toBeLessThan(20_000);
  expect(text).not.toContain(KEY);
  const translations = (await (await run.shim.fetch(new Request(`${BASE}/_shim/translations`, admin))).json()) as { translations: { account: string }[] };
  // Only calls CloudAgent accepted are recorded: the real account's.
  expect(translations.translations.map((t) => t.account)).toEqual(Array.from({ length: realCalls }, () => USER));
  expect(run.shim.translations.bytes).toBeLessThanOrEqual(200_000);
}
