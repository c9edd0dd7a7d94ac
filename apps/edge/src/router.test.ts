import { PatternRouter } from 'hono/router/pattern-router';
import { describe, expect, it } from 'vitest';
import { SegmentRouter } from './router.js';

// The edge's router against the one it replaced (hono/tiny's PatternRouter): the same handlers, in
// the same order, with the same parameters, for every route shape the edge registers (as Hono
// hands them to the router: `app.use(mw)` is `/*`, a sub-app's are joined to its prefix) and for
// paths a hostile caller sends.
const ROUTES: [string, string][] = [
  ['ALL', '/*'],
  ['ALL', '*'],
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/docs/:file'],
  ['ALL', '/docs/:file'],
  ['GET', '/healthz'],
  ['ALL', '/phone-numbers/*'],
  ['POST', '/phone-numbers'],
  ['GET', '/phone-numbers/:phoneNumber'],
  ['PATCH', '/phone-numbers/:phoneNumber'],
  ['ALL', '/phone-numbers/:phoneNumber'],
  ['ALL', '/bulk-jobs/*'],
  ['GET', '/bulk-jobs/:id/report'],
  ['DELETE', '/bulk-jobs/:id'],
  ['GET', '/audit'],
];

const PATHS = [
  '/', '//', '/healthz', '/healthz/', '/healthz//', '/HEALTHZ', '//healthz', '/healthzx', '/healthz/x',
  '/openapi.json', '/openapiXjson', '/openapi.json/', '/docs', '/docs/', '/docs/swagger-ui.css', '/docs/a/b', '/docs//',
  '/phone-numbers', '/phone-numbers/', '/phone-numbers//', '/phone-numbers/8001234567', '/phone-numbers/8001234567/',
  '/phone-numbers/%2B91%2F800', '/phone-numbers/a/b', '/phone-numbersx', '/phone-numbers/.', '/phone-numbers/..',
  '/bulk-jobs', '/bulk-jobs/j1', '/bulk-jobs/j1/report', '/bulk-jobs/j1/report/', '/bulk-jobs//report', '/audit', '/audit/', '/x/../healthz',
];

function matches(router: SegmentRouter<string> | PatternRouter<string>, method: string, path: string) {
  return router.match(method, path)[0].map(([handler, params]) => [handler, { ...params }]);
}

describe('SegmentRouter', () => {
  it("matches the edge's routes as PatternRouter does", () => {
    const ours = new SegmentRouter<string>();
    const theirs = new PatternRouter<string>();
    for (const [method, path] of ROUTES) {
      ours.add(method, path, `${method} ${path}`);
      theirs.add(method, path, `${method} ${path}`);
    }
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT']) {
      for (const path of PATHS) expect(matches(ours, method, path), `${method} ${path}`).toEqual(matches(theirs, method, path));
    }
    expect(matches(ours, 'GET', '/phone-numbers/8001234567')).toEqual([
      ['ALL /*', {}],
      ['ALL *', {}],
      ['ALL /phone-numbers/*', {}],
      ['GET /phone-numbers/:phoneNumber', { phoneNumber: '8001234567' }],
      ['ALL /phone-numbers/:phoneNumber', { phoneNumber: '8001234567' }],
    ]);
  });

  it('refuses path syntax it does not read, rather than matching it wrongly', () => {
    const router = new SegmentRouter<string>();
    for (const path of ['/a/:id{[0-9]+}', '/a/:id?', '/a/*/b']) expect(() => router.add('GET', path, 'h'), path).toThrow();
  });
});
