import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { SECURE_HEADERS, secureHeaders } from './secure-headers.js';

// The edge's fixed list must say exactly what hono/secure-headers said with the edge's options
// (the middleware it replaces, to keep the Worker bundle small).
const headersOf = async (app: Hono) => {
  const res = await app.request('/x');
  return Object.fromEntries([...res.headers].filter(([name]) => name !== 'content-type'));
};
const appWith = (middleware: MiddlewareHandler) => {
  const app = new Hono();
  app.use(middleware);
  app.get('/x', (c) => c.text('ok', 200, { 'X-Powered-By': 'something', 'X-Frame-Options': 'ALLOWALL' }));
  return app;
};

describe('secureHeaders', () => {
  it('sends what hono/secure-headers sends with the edge options, replacing a handler value and dropping X-Powered-By', async () => {
    const ours = await headersOf(appWith(secureHeaders()));
    expect(ours).toEqual(await headersOf(appWith(honoSecureHeaders({ crossOriginResourcePolicy: 'same-origin', xFrameOptions: 'DENY' }))));
    expect(ours['x-frame-options']).toBe('DENY');
    expect(ours['x-powered-by']).toBeUndefined();
    expect(Object.keys(ours)).toHaveLength(SECURE_HEADERS.length);
  });
});
