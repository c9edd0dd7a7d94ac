import { describe, expect, it, vi } from 'vitest';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createOfetchTransport } from '../src/ofetch-transport.js';
import { fetchFailure } from '../src/fetch-transport.js';
import { createKeepAliveTransport } from '../src/keep-alive-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { createSocketTransport } from '../src/socket-transport.js';
import { createRequestUrl, networkError, TransportError } from '../src/transport-error.js';

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
      await expect(send).rejects.toThrow(/no global fetch in this runtime: pass \{ fetch \} or use createKeepAliveTransport \(or createNodeHttpTransport\)/);
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

describe('createRequestUrl: the opening of the socket-level transports', () => {
  const CANARY = 'CANARY-KEY-request-url-7c2f';
  const request = (url: string, headers: Record<string, string> = {}) => ({ method: 'POST' as const, url, headers, body: '{}' });
  const live = () => new AbortController().signal;
  const rejection = async (promise: Promise<unknown>) => promise.then(() => expect.unreachable('resolved'), (error: unknown) => error as TransportError);
  // Nothing may be opened for a refused request: a connect that fails the test if it is called.
  const noConnect = () => expect.unreachable('connect was called');

  it.each([
    ['keep-alive', () => createKeepAliveTransport()],
    ['node-http', () => createNodeHttpTransport()],
    ['socket', () => createSocketTransport({ connect: noConnect })],
  ])('the %s transport refuses a URL that does not parse and another scheme, naming itself, never quoting the URL', async (name, create) => {
    const transport = create();
    try {
      const unparsed = await rejection(transport.send(request(`not a url?apiKey=${CANARY}`), live()));
      expect(unparsed).toMatchObject({ code: 'network', delivery: 'not_sent', message: 'the request URL is not a valid absolute URL' });
      const ftp = await rejection(transport.send(request(`ftp://h/?apiKey=${CANARY}`), live()));
      expect(ftp).toMatchObject({ code: 'network', delivery: 'not_sent', message: `the ${name} transport sends http: and https: URLs only, not ftp:` });
      for (const error of [unparsed, ftp]) expect(`${error.message} ${String(error.cause)}`).not.toContain(CANARY);
    } finally {
      await (transport as { close?: () => Promise<void> }).close?.();
    }
  });

  it('refuses a cancelled call and an unsendable header first, then runs refuseAlso, then parses', () => {
    const seen: string[] = [];
    const requestUrl = createRequestUrl('test', () => {
      seen.push('refuseAlso');
    });
    const aborted = AbortSignal.abort();
    expect(() => requestUrl(request('not a url'), aborted)).toThrow(expect.objectContaining({ code: 'aborted', delivery: 'not_sent' }));
    expect(() => requestUrl(request('not a url', { apiKey: `${CANARY}\n` }), live())).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(seen).toEqual([]);
    expect(() => requestUrl(request('not a url'), live())).toThrow('not a valid absolute URL');
    expect(seen).toEqual(['refuseAlso']);
  });

  it('parses a URL once while the text stays the same, again when it changes, and keeps the last good one past a bad one', () => {
    const requestUrl = createRequestUrl('test');
    const first = requestUrl(request('http://a.test/x?apiKey=1'), live());
    expect(requestUrl(request('http://a.test/x?apiKey=1'), live())).toBe(first);
    const second = requestUrl(request('https://b.test/y'), live());
    expect(second).not.toBe(first);
    expect(second.href).toBe('https://b.test/y');
    expect(() => requestUrl(request('::'), live())).toThrow(TransportError);
    expect(requestUrl(request('https://b.test/y'), live())).toBe(second);
  });

  it('the keep-alive transport, once closed, says so before it reads the URL, and a cancelled call still reads as cancelled', async () => {
    const transport = createKeepAliveTransport();
    await transport.close();
    expect(await rejection(transport.send(request('not a url'), live()))).toMatchObject({ code: 'network', delivery: 'not_sent', message: 'the keep-alive transport was closed; nothing was sent' });
    expect(await rejection(transport.send(request('http://127.0.0.1:9/'), AbortSignal.abort()))).toMatchObject({ code: 'aborted', delivery: 'not_sent' });
  });
});
