import { describe, expect, it } from 'vitest';
import { createEdgeClient, EdgeConnectionError, type EdgeClientOptions } from '../src/index.js';
import { delayBeforeRetry, retryAfterMs } from '../src/retry.js';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const problem = (status: number, slug: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ type: `urn:cloudagent-phone:problem:${slug}`, title: slug, status, detail: `${slug} happened`, ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': `req-${status}` },
  });
const success = (headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ outcome: 'success', message: 'done', requestId: 'req-ok' }), { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'req-ok', ...headers } });

/** A fetch that answers from a script, one entry per attempt, and records what was sent. */
function scripted(answers: (Response | Error | 'hang')[]) {
  const sent: Sent[] = [];
  const waits: number[] = [];
  const fetch: EdgeClientOptions['fetch'] = async (url, init) => {
    sent.push({ url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: init.body as string | undefined });
    const next = answers.shift();
    if (!next) throw new Error('the script ran out');
    if (next === 'hang') {
      return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    if (next instanceof Error) throw next;
    return next;
  };
  let keys = 0;
  const client = createEdgeClient({
    baseUrl: 'http://edge.test/',
    token: 'team-token',
    fetch,
    timeoutMs: 50,
    idempotencyKey: () => `key-${++keys}`,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { client, sent, waits };
}

const create = { userName: 'demo', phoneNumber: '+917001112223', phoneName: 'Desk' };

describe('mutations', () => {
  it('send a fresh Idempotency-Key per call and the same one on each retry of it', async () => {
    const { client, sent } = scripted([problem(504, 'upstream-timeout', { outcome: 'unknown' }), problem(502, 'bad-gateway'), success(), success()]);
    const first = await client.createPhoneNumber(create);
    expect(first).toMatchObject({ ok: true, status: 200, attempts: 3, idempotencyKey: 'key-1', data: { outcome: 'success' } });
    expect(sent.map((s) => s.headers['idempotency-key'])).toEqual(['key-1', 'key-1', 'key-1']);
    expect(new Set(sent.map((s) => s.body)).size).toBe(1);
    const second = await client.deletePhoneNumber('+917001112223', { userName: 'demo', phoneName: 'Desk' });
    expect(second.idempotencyKey).toBe('key-2');
    expect(sent[3]).toMatchObject({ method: 'DELETE', url: 'http://edge.test/phone-numbers/%2B917001112223', headers: { 'idempotency-key': 'key-2', authorization: 'Bearer team-token', 'content-type': 'application/json' } });
  });

  it('are retried after a timeout with the same key, and say the change may have applied when every attempt fails', async () => {
    const { client, sent } = scripted(['hang', 'hang', 'hang']);
    const error = await client.editPhoneNumber('123', { userName: 'demo', phoneName: 'Desk', phoneNameNew: 'New' }, { idempotencyKey: 'mine-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgeConnectionError);
    expect((error as EdgeConnectionError).details).toMatchObject({ attempts: 3, mayHaveApplied: true, idempotencyKey: 'mine-1' });
    expect((error as Error).message).toMatch(/within 50 ms.*may or may not have been applied.*mine-1/);
    expect(sent.map((s) => s.headers['idempotency-key'])).toEqual(['mine-1', 'mine-1', 'mine-1']);
  });

  it("are not retried on the edge's own refusals: the problem comes back typed", async () => {
    for (const [status, slug] of [[400, 'invalid-input'], [409, 'conflict'], [422, 'rejected-by-cloudagent'], [501, 'not-implemented']] as const) {
      const { client, sent } = scripted([problem(status, slug, { outcome: 'conflict' })]);
      const answer = await client.createPhoneNumber(create);
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.problem.type).toBe(`urn:cloudagent-phone:problem:${slug}`);
      expect(answer).toMatchObject({ status, attempts: 1, requestId: `req-${status}` });
      expect(sent).toHaveLength(1);
    }
  });

  it('wait out a 409 with Retry-After (the same key still in flight) and see the replay', async () => {
    const inFlight = problem(409, 'conflict');
    inFlight.headers.set('retry-after', '1');
    const { client, sent, waits } = scripted([inFlight, success({ 'idempotent-replayed': 'true' })]);
    const answer = await client.createPhoneNumber(create);
    expect(answer).toMatchObject({ ok: true, replayed: true, attempts: 2 });
    expect(waits).toEqual([1000]);
    expect(sent[0]!.headers['idempotency-key']).toBe(sent[1]!.headers['idempotency-key']);
  });

  it('refuse a malformed idempotency key before sending', async () => {
    const { client, sent } = scripted([]);
    await expect(client.createPhoneNumber(create, { idempotencyKey: '' })).rejects.toThrow(/idempotencyKey must be 1 to 255 printable/);
    await expect(client.createPhoneNumber(create, { idempotencyKey: 'x'.repeat(256) })).rejects.toThrow(/idempotencyKey/);
    await expect(client.createPhoneNumber(create, { idempotencyKey: 'caf\u00e9' })).rejects.toThrow(/idempotencyKey/);
    expect(sent).toHaveLength(0);
  });
});

describe('reads', () => {
  it('retry 5xx and connection failures with backoff, sending no Idempotency-Key', async () => {
    const { client, sent, waits } = scripted([new TypeError('fetch failed'), problem(503, 'misconfigured'), success()]);
    const answer = await client.getPhoneNumber('+919876543210', { userName: 'demo' });
    expect(answer).toMatchObject({ ok: true, attempts: 3, idempotencyKey: undefined });
    expect(sent[0]!.url).toBe('http://edge.test/phone-numbers/%2B919876543210?userName=demo');
    expect(sent.every((s) => !('idempotency-key' in s.headers) && s.body === undefined)).toBe(true);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(125);
    expect(waits[0]).toBeLessThanOrEqual(250);
    expect(waits[1]).toBeGreaterThanOrEqual(250);
    expect(waits[1]).toBeLessThanOrEqual(500);
  });

  it('look a name up on the collection, the name URL-encoded in the query, retried as a read', async () => {
    const { client, sent } = scripted([problem(502, 'bad-gateway'), success()]);
    const answer = await client.getPhoneNumberByName('+Front desk&Co', { userName: 'demo' });
    expect(answer).toMatchObject({ ok: true, attempts: 2, idempotencyKey: undefined });
    expect(sent.map((s) => [s.method, s.url])).toEqual([
      ['GET', 'http://edge.test/phone-numbers?userName=demo&phoneName=%2BFront+desk%26Co'],
      ['GET', 'http://edge.test/phone-numbers?userName=demo&phoneName=%2BFront+desk%26Co'],
    ]);
    expect(sent.every((s) => !('idempotency-key' in s.headers) && s.body === undefined)).toBe(true);
  });

  it("honour Retry-After, and give the 429 back when the wait is longer than they would wait", async () => {
    const soon = problem(429, 'rate-limited');
    soon.headers.set('retry-after', '2');
    const late = problem(429, 'rate-limited');
    late.headers.set('retry-after', '60');
    const { client, sent, waits } = scripted([soon, late]);
    const answer = await client.health();
    expect(answer).toMatchObject({ ok: false, status: 429, attempts: 2, retryAfterMs: 60_000, problem: { type: 'urn:cloudagent-phone:problem:rate-limited' } });
    expect(waits).toEqual([2000]);
    expect(sent).toHaveLength(2);
  });

  it('stop after maxRetries and return the last answer', async () => {
    const { client, sent } = scripted([problem(502, 'bad-gateway'), problem(502, 'bad-gateway'), problem(502, 'bad-gateway')]);
    const answer = await client.health();
    expect(answer).toMatchObject({ ok: false, status: 502, attempts: 3 });
    expect(sent).toHaveLength(3);
  });

  it('turn an answer that is no problem+json into an about:blank problem', async () => {
    const { client } = scripted([new Response('<html>proxy error</html>', { status: 418, headers: { 'content-type': 'text/html' } })]);
    const answer = await client.health();
    expect(answer).toMatchObject({ ok: false, status: 418, problem: { type: 'about:blank', status: 418, detail: '<html>proxy error</html>' } });
  });

  it('a cancelled call is not retried', async () => {
    const { client, sent } = scripted(['hang', 'hang']);
    const controller = new AbortController();
    const pending = client.health({ signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(sent).toHaveLength(1);
  });
});

describe('bulk jobs', () => {
  const job = { id: 'j-1', team: 't', createdAt: '2026-01-01T00:00:00.000Z', state: 'queued', total: 2, finished: 0, counts: { applied: 0, notApplied: 0, unknown: 0, cancelled: 0 }, rowsPerMinute: 0, etaSeconds: null, ratePerMinute: 30, cancelRequested: false, url: '/bulk-jobs/j-1', reportUrl: '/bulk-jobs/j-1/report' };
  const jobAnswer = (status = 202) => new Response(JSON.stringify(job), { status, headers: { 'content-type': 'application/json', 'x-request-id': 'req-job' } });

  it('submit CSV as text/csv and rows as NDJSON, with the job-wide userName and one key kept across retries', async () => {
    const { client, sent } = scripted([problem(503, 'misconfigured'), jobAnswer(), jobAnswer(200)]);
    const csv = 'phoneNumber,phoneName\n+917001112223,Desk\n';
    const first = await client.createBulkJob({ csv }, { userName: 'demo team' });
    expect(first).toMatchObject({ ok: true, status: 202, attempts: 2, idempotencyKey: 'key-1', data: { id: 'j-1' } });
    expect(sent.slice(0, 2).map((s) => [s.method, s.url, s.headers['content-type'], s.headers['idempotency-key'], s.body])).toEqual([
      ['POST', 'http://edge.test/bulk-jobs?userName=demo+team', 'text/csv; charset=utf-8', 'key-1', csv],
      ['POST', 'http://edge.test/bulk-jobs?userName=demo+team', 'text/csv; charset=utf-8', 'key-1', csv],
    ]);
    const rows = await client.createBulkJob({ rows: [{ phoneNumber: '1', phoneName: 'A' }, { action: 'delete', phoneNumber: '2', phoneName: 'B', userName: 'other' }] }, { idempotencyKey: 'job-key' });
    expect(rows.status).toBe(200);
    expect(sent[2]).toMatchObject({ url: 'http://edge.test/bulk-jobs', headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'job-key' } });
    expect(sent[2]!.body!.split('\n')).toEqual(['{"phoneNumber":"1","phoneName":"A"}', '{"action":"delete","phoneNumber":"2","phoneName":"B","userName":"other"}', '']);
  });

  it('read a job and cancel it without an Idempotency-Key (a second cancel changes nothing), the id escaped in the path', async () => {
    const { client, sent } = scripted([jobAnswer(200), new TypeError('fetch failed'), jobAnswer(202)]);
    expect((await client.getBulkJob('j/1')).ok).toBe(true);
    const cancelled = await client.cancelBulkJob('j-1');
    expect(cancelled).toMatchObject({ ok: true, status: 202, attempts: 2, idempotencyKey: undefined });
    expect(sent.map((s) => [s.method, s.url, 'idempotency-key' in s.headers])).toEqual([
      ['GET', 'http://edge.test/bulk-jobs/j%2F1', false],
      ['DELETE', 'http://edge.test/bulk-jobs/j-1', false],
      ['DELETE', 'http://edge.test/bulk-jobs/j-1', false],
    ]);
  });

  it('give the report as CSV text, or as parsed NDJSON lines; an answer of another kind is a problem, not data', async () => {
    const line = { row: 1, userName: 'demo', action: 'edit', phoneNumber: '+91', outcome: 'success', verdict: 'applied', message: 'm', requestId: '', attempts: 1 };
    const csv = 'row,userName\n1,demo\n';
    const { client, sent } = scripted([
      new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } }),
      new Response(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, row: 2 })}\n`, { status: 200, headers: { 'content-type': 'application/x-ndjson' } }),
      new Response('<html>proxy</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      problem(404, 'not-found'),
    ]);
    expect(await client.getBulkJobReport('j-1')).toMatchObject({ ok: true, data: csv });
    const lines = await client.getBulkJobReport('j-1', { format: 'ndjson' });
    expect(lines.ok && lines.data.map((l) => l.row)).toEqual([1, 2]);
    expect(await client.getBulkJobReport('j-1', { format: 'ndjson' })).toMatchObject({ ok: false, problem: { type: 'about:blank', detail: '<html>proxy</html>' } });
    expect(await client.getBulkJobReport('nope')).toMatchObject({ ok: false, status: 404, problem: { type: 'urn:cloudagent-phone:problem:not-found' } });
    expect(sent.map((s) => s.headers.accept)).toEqual(['text/csv, application/problem+json', 'application/x-ndjson, application/problem+json', 'application/x-ndjson, application/problem+json', 'text/csv, application/problem+json']);
  });
});

describe('the retry policy', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });

  it('doubles the backoff up to the cap, with jitter between half and all of the step', () => {
    const policy = { maxRetries: 9, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((retry) => delayBeforeRetry(policy, retry, undefined, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(delayBeforeRetry(policy, 0, undefined, () => 0)).toBe(50);
    expect(delayBeforeRetry(policy, 0, 900)).toBe(900);
    expect(delayBeforeRetry(policy, 0, 1_001)).toBeUndefined();
  });
});
