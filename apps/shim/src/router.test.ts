import { describe, expect, it } from 'vitest';
import { createRouter, type RouteCall } from './router.js';

const BASE = 'http://shim.test';

function routerWith(onError: (error: unknown, call: RouteCall) => Response = () => new Response('handled', { status: 500 })) {
  const seen: RouteCall[] = [];
  const router = createRouter(onError);
  router.on('GET', '/get', (call) => {
    seen.push(call);
    return new Response(`get via ${call.request.method}`, { headers: { 'x-route': 'get' } });
  });
  router.on('POST', '/get', () => new Response('post'));
  router.on('POST', '/post-only', () => new Response('post-only'));
  router.on('ALL', '/any.php', (call) => new Response(`any via ${call.request.method}`, { status: call.request.method === 'HEAD' ? 405 : 200, headers: { allow: 'GET, POST' } }));
  router.on('GET', '/throws', () => {
    throw new Error('sync');
  });
  router.on('GET', '/rejects', async () => Promise.reject(new Error('async')));
  return { router, seen };
}

const send = async (router: ReturnType<typeof routerWith>['router'], path: string, init?: RequestInit) => {
  const res = await router.fetch(new Request(`${BASE}${path}`, init));
  return { status: res.status, body: await res.text(), headers: res.headers };
};

describe('the shim router', () => {
  it('runs the route for the path and method, with or without one trailing slash, whatever the query', async () => {
    const { router } = routerWith();
    expect(await send(router, '/get')).toMatchObject({ status: 200, body: 'get via GET' });
    expect(await send(router, '/get/')).toMatchObject({ status: 200, body: 'get via GET' });
    expect(await send(router, '/get?x=1&y=/z')).toMatchObject({ status: 200, body: 'get via GET' });
    expect(await send(router, '/get', { method: 'POST', body: 'x' })).toMatchObject({ status: 200, body: 'post' });
    expect(await send(router, '/post-only', { method: 'POST' })).toMatchObject({ status: 200, body: 'post-only' });
  });

  it('answers 404 "404 Not Found" (text/plain) for an unknown path, a longer or shorter one, two trailing slashes, or a method without a route', async () => {
    const { router } = routerWith();
    for (const [path, method] of [['/nope', 'GET'], ['/', 'GET'], ['/get/more', 'GET'], ['/ge', 'GET'], ['/get//', 'GET'], ['/GET', 'GET'], ['/get', 'PUT'], ['/get', 'OPTIONS'], ['/post-only', 'GET'], ['/post-only', 'HEAD']] as const) {
      const res = await send(router, path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
      if (method !== 'HEAD') expect(res.body).toBe('404 Not Found');
    }
  });

  it('HEAD runs the GET route (the request still says HEAD) and answers its status and headers with no body', async () => {
    const { router, seen } = routerWith();
    const res = await send(router, '/get', { method: 'HEAD' });
    expect(res).toMatchObject({ status: 200, body: '' });
    expect(res.headers.get('x-route')).toBe('get');
    expect(seen.at(-1)?.request.method).toBe('HEAD');
  });

  it('ALL takes every method, HEAD included, as the request sent it', async () => {
    const { router } = routerWith();
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) expect(await send(router, '/any.php', { method })).toMatchObject({ status: 200, body: `any via ${method}` });
    const head = await send(router, '/any.php', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 405, body: '' });
    expect(head.headers.get('allow')).toBe('GET, POST');
  });

  it('compares the path percent-decoded; a malformed escape matches nothing and throws nothing', async () => {
    const { router, seen } = routerWith();
    expect(await send(router, '/any%2Ephp')).toMatchObject({ status: 200, body: 'any via GET' });
    expect(await send(router, '/g%65t')).toMatchObject({ status: 200, body: 'get via GET' });
    expect(seen.at(-1)?.path).toBe('/get');
    expect((await send(router, '/get%E0%A4%A')).status).toBe(404);
  });

  it('hands a thrown error or a rejection to onError, with the request and its path; HEAD drops that body too', async () => {
    const errors: [string, string, string][] = [];
    const { router } = routerWith((error, call) => {
      errors.push([(error as Error).message, call.path, call.request.method]);
      return new Response('sorry', { status: 500, headers: { 'x-error': '1' } });
    });
    expect(await send(router, '/throws')).toMatchObject({ status: 500, body: 'sorry' });
    expect(await send(router, '/rejects/')).toMatchObject({ status: 500, body: 'sorry' });
    const head = await send(router, '/throws', { method: 'HEAD' });
    expect(head).toMatchObject({ status: 500, body: '' });
    expect(head.headers.get('x-error')).toBe('1');
    expect(errors).toEqual([
      ['sync', '/throws', 'GET'],
      ['async', '/rejects/', 'GET'],
      ['sync', '/throws', 'HEAD'],
    ]);
  });

  it("passes the Worker's execution context to the route (undefined on Node)", async () => {
    const { router, seen } = routerWith();
    const ctx = { waitUntil: () => undefined };
    await router.fetch(new Request(`${BASE}/get`), ctx);
    expect(seen.at(-1)?.ctx).toBe(ctx);
    await router.fetch(new Request(`${BASE}/get`));
    expect(seen.at(-1)?.ctx).toBeUndefined();
  });
});
