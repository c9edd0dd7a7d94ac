import { describe, expect, it, vi } from 'vitest';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createOfetchTransport } from '../src/ofetch-transport.js';
import { fetchFailure } from '../src/fetch-transport.js';
import { networkError } from '../src/transport-error.js';

const sysError = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
// The shape Node's fetch rejects with: TypeError('fetch failed', { cause }).
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('failure mapping', () => {
  it.each([
    ['ECONNREFUSED', 'connect_failed', 'not_sent'],
    ['ENOTFOUND', 'dns', 'not_sent'],
    ['EAI_AGAIN', 'dns', 'not_sent'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect_failed', 'not_sent'],
    ['CERT_HAS_EXPIRED', 'tls', 'not_sent'],
    ['ECONNRESET', 'reset', 'maybe_sent'],
    ['UND_ERR_SOCKET', 'reset', 'maybe_sent'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', 'maybe_sent'],
    ['EWHATEVER', 'network', 'maybe_sent'],
  ])('a fetch failure caused by %s is %s / %s', (code, expectedCode, delivery) => {
    const error = fetchFailure(fetchFailed(sysError(code)), new AbortController().signal);
    expect(error).toMatchObject({ code: expectedCode, delivery });
  });

  it('finds the code inside an AggregateError (several addresses refused)', () => {
    const aggregate = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')], 'all failed');
    expect(fetchFailure(fetchFailed(aggregate), new AbortController().signal)).toMatchObject({ code: 'connect_failed', delivery: 'not_sent' });
  });

  it('calls an unexplained fetch failure maybe_sent: fetch cannot tell', () => {
    expect(fetchFailure(new TypeError('fetch failed'), new AbortController().signal)).toMatchObject({ code: 'network', delivery: 'maybe_sent' });
  });

  it('trusts a transport that knows the socket never connected', () => {
    expect(networkError(sysError('ECONNRESET'), false)).toMatchObject({ code: 'reset', delivery: 'not_sent' });
    expect(networkError(sysError('ECONNRESET'), true)).toMatchObject({ code: 'reset', delivery: 'maybe_sent' });
  });

  it('keeps the low-level message (which may hold a URL) out of its own', () => {
    const error = networkError(Object.assign(new Error('connect to https://x/?apiKey=CANARY-KEY-x failed'), { code: 'ECONNREFUSED' }), undefined);
    expect(error.message).not.toContain('CANARY');
  });
});

describe('a runtime without fetch', () => {
  it.each([
    ['fetch', createFetchTransport],
    ['ofetch', createOfetchTransport],
  ])('%s says what to do instead of failing deep inside', async (_name, factory) => {
    vi.stubGlobal('fetch', undefined);
    try {
      const send = factory().send({ method: 'POST', url: 'http://127.0.0.1:9/x', headers: {}, body: '{}' }, new AbortController().signal);
      await expect(send).rejects.toThrow(/no global fetch in this runtime: pass \{ fetch \} or use createNodeHttpTransport/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fake = (async (url: string) => {
      calls.push(url);
      return new Response('{"status":"success","message":"record inserted successfully"}', { status: 200 });
    }) as unknown as typeof fetch;
    for (const t of [createFetchTransport({ fetch: fake }), createOfetchTransport({ fetch: fake })]) {
      const res = await t.send({ method: 'POST', url: 'http://cloudagent.test/x', headers: {}, body: '{}' }, new AbortController().signal);
      expect(res.status).toBe(200);
    }
    expect(calls).toEqual(['http://cloudagent.test/x', 'http://cloudagent.test/x']);
  });
});
