import { Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { describe, expect, it } from 'vitest';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_EXPOSE_HEADERS, cors } from './cors.js';

// The edge's CORS must answer exactly as hono/cors did with the edge's options (the middleware it
// replaces, to keep the Worker bundle small): same status, headers (order included) and body.
const ORIGINS = ['https://a.example', 'https://b.example'];
const honoWithEdgeOptions = () =>
  honoCors({
    origin: [...ORIGINS],
    allowMethods: CORS_ALLOW_METHODS.split(','),
    allowHeaders: CORS_ALLOW_HEADERS.split(','),
    exposeHeaders: CORS_EXPOSE_HEADERS.split(','),
  });

const appWith = (middleware: MiddlewareHandler) => {
  const app = new Hono();
  app.use(async (c, next) => {
    c.header('x-request-id', 'req-1');
    await next();
  });
  app.use(middleware);
  app.get('/x', (c) => c.json({ ok: true }, 200, { vary: 'Accept' }));
  app.post('/x', (c) => c.json({ created: true }, 201));
  app.delete('/x', () => {
    throw new Error('boom');
  });
  app.onError((_error, c) => c.json({ error: true }, 500));
  return app;
};
const answerOf = async (app: Hono, method: string, headers: Record<string, string>) => {
  const res = await app.request('/x', { method, headers });
  return { status: res.status, statusText: res.statusText, headers: [...res.headers], body: await res.text() };
};

const REQUESTS: [string, string, Record<string, string>][] = [
  ['an allowed origin GETs', 'GET', { origin: 'https://a.example' }],
  ['another allowed origin POSTs', 'POST', { origin: 'https://b.example', 'content-type': 'application/json' }],
  ['a foreign origin GETs', 'GET', { origin: 'https://evil.example' }],
  ['a request carries no origin', 'GET', {}],
  ['a handler throws', 'DELETE', { origin: 'https://a.example' }],
  ['an allowed origin preflights', 'OPTIONS', { origin: 'https://a.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'x-other, content-type' }],
  ['a foreign origin preflights', 'OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' }],
  ['a preflight carries no origin', 'OPTIONS', {}],
];

describe('cors', () => {
  it.each(REQUESTS)('answers as hono/cors with the edge options when %s', async (_name, method, headers) => {
    const ours = await answerOf(appWith(cors(ORIGINS)), method, headers);
    expect(ours).toEqual(await answerOf(appWith(honoWithEdgeOptions()), method, headers));
  });

  it('allows only a listed origin, and answers a preflight 204 with the methods and headers', async () => {
    const app = appWith(cors(ORIGINS));
    const allowed = await app.request('/x', { headers: { origin: 'https://a.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(allowed.headers.get('access-control-expose-headers')).toBe(CORS_EXPOSE_HEADERS);
    expect(allowed.headers.get('vary')).toBe('Accept, Origin');
    const foreign = await app.request('/x', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/x', { method: 'OPTIONS', headers: { origin: 'https://b.example' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe(CORS_ALLOW_METHODS);
    expect(preflight.headers.get('access-control-allow-headers')).toBe(CORS_ALLOW_HEADERS);
    expect(preflight.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers');
    expect(preflight.headers.get('x-request-id')).toBe('req-1');
  });
});
