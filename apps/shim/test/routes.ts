// Every route of the shim, every method a caller may try, as the shim answers it: runtime-neutral,
// so the same table runs on Node and inside workerd. Written against the Hono app the shim had
// before its own router (src/router.ts) and passed by both: what a caller sees did not change.
import { expect } from 'vitest';
import type { DashboardAssets } from '../src/dashboard/assets.js';
import { ADMIN_TOKEN, KEY, PATH, USER, makeHarness } from './matrix.js';

const BASE = 'http://shim.test';
const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
const create = `?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000901&phoneName=Desk901`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The dashboard's two pages, in memory (workerd has no file system; only the route is under test here). */
export const MEMORY_DASHBOARD: DashboardAssets = {
  async fetch(request) {
    const name = new URL(request.url).pathname.split('/').pop();
    if (name === 'index.html') return new Response('<main>control room</main>');
    if (name === 'sign-in.html') return new Response('<form class="sign-in"><!--message--></form>');
    return new Response('not found', { status: 404 });
  },
};

export interface RouteCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  contentType: string | null;
  /** The whole body, or a pattern it matches; '' for none. */
  answer: string | RegExp;
  /** Headers the answer must carry (a value, or a pattern). */
  carries?: Record<string, string | RegExp>;
  /** v2 mutations this call may cause (0 unless it is a well-formed v1 mutation). */
  v2Mutations?: number;
}

const NOT_FOUND = { status: 404, contentType: 'text/plain; charset=UTF-8', answer: '404 Not Found' } as const;
const V1_ENVELOPE = /^\{"status":"error","message":"method not allowed: the v1 endpoint takes GET or POST; nothing was changed"\}$/;
const DEPRECATED = { deprecation: '@1745971200', sunset: 'Wed, 30 Apr 2025 00:00:00 GMT' };
const SUCCESS = '{"status":"success","message":"record inserted successfully"}';

export const ROUTE_CASES: RouteCase[] = [
  // The v1 door: GET and POST do the call; every other method is 405 with Allow, and does nothing.
  { name: 'v1 GET', method: 'GET', path: `${PATH}${create}`, status: 200, contentType: 'application/json', answer: SUCCESS, carries: DEPRECATED, v2Mutations: 1 },
  { name: 'v1 GET, trailing slash', method: 'GET', path: `${PATH}/${create}`, status: 200, contentType: 'application/json', answer: SUCCESS, carries: DEPRECATED, v2Mutations: 1 },
  { name: 'v1 GET, percent-encoded path', method: 'GET', path: `/CAServices/PhoneManageV2%2Ephp${create}`, status: 200, contentType: 'application/json', answer: SUCCESS, v2Mutations: 1 },
  { name: 'v1 POST form', method: 'POST', path: PATH, headers: FORM, body: create.slice(1), status: 200, contentType: 'application/json', answer: SUCCESS, carries: DEPRECATED, v2Mutations: 1 },
  { name: 'v1 HEAD', method: 'HEAD', path: `${PATH}${create}`, status: 405, contentType: 'application/json', answer: '', carries: { allow: 'GET, POST', ...DEPRECATED } },
  ...['PUT', 'DELETE', 'PATCH', 'OPTIONS'].map((method) => ({ name: `v1 ${method}`, method, path: `${PATH}${create}`, status: 405, contentType: 'application/json', answer: V1_ENVELOPE, carries: { allow: 'GET, POST', ...DEPRECATED } })),
  { name: 'v1 GET with no parameters', method: 'GET', path: PATH, status: 200, contentType: 'application/json', answer: /^\{"status":"error","message":/ },
  // Health: open to anyone.
  { name: 'health', method: 'GET', path: '/_shim/health', status: 200, contentType: 'application/json', answer: '{"status":"ok"}' },
  { name: 'health, trailing slash', method: 'GET', path: '/_shim/health/', status: 200, contentType: 'application/json', answer: '{"status":"ok"}' },
  { name: 'health HEAD', method: 'HEAD', path: '/_shim/health', status: 200, contentType: 'application/json', answer: '' },
  { name: 'health POST', method: 'POST', path: '/_shim/health', body: 'x', ...NOT_FOUND },
  { name: 'health DELETE', method: 'DELETE', path: '/_shim/health', ...NOT_FOUND },
  // Admin views: the bearer token.
  { name: 'metrics, no token', method: 'GET', path: '/_shim/metrics', status: 401, contentType: 'application/json', answer: /admin token missing or wrong/ },
  { name: 'metrics, wrong token', method: 'GET', path: '/_shim/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}x` }, status: 401, contentType: 'application/json', answer: /admin token missing or wrong/ },
  { name: 'metrics', method: 'GET', path: '/_shim/metrics', headers: bearer, status: 200, contentType: 'application/json', answer: /^\{"generatedAt":"/ },
  { name: 'metrics HEAD', method: 'HEAD', path: '/_shim/metrics', headers: bearer, status: 200, contentType: 'application/json', answer: '' },
  { name: 'metrics POST', method: 'POST', path: '/_shim/metrics', headers: bearer, ...NOT_FOUND },
  { name: 'translations', method: 'GET', path: '/_shim/translations', headers: bearer, status: 200, contentType: 'application/json', answer: '{"translations":[]}' },
  { name: 'translations, no token', method: 'GET', path: '/_shim/translations', status: 401, contentType: 'application/json', answer: /admin token missing or wrong/ },
  // The control room.
  { name: 'dashboard, signed out', method: 'GET', path: '/_shim/dashboard', status: 401, contentType: 'text/html; charset=utf-8', answer: '<form class="sign-in"></form>', carries: { 'www-authenticate': 'Bearer realm="v1 shim admin"', 'cache-control': 'no-store' } },
  { name: 'dashboard HEAD', method: 'HEAD', path: '/_shim/dashboard', status: 401, contentType: 'text/html; charset=utf-8', answer: '' },
  { name: 'dashboard sign-in form', method: 'GET', path: '/_shim/dashboard/sign-in', status: 200, contentType: 'text/html; charset=utf-8', answer: '<form class="sign-in"></form>' },
  { name: 'dashboard session, wrong token', method: 'POST', path: '/_shim/dashboard/session', headers: FORM, body: 'token=wrong', status: 401, contentType: 'text/html; charset=utf-8', answer: /That is not the admin token/ },
  { name: 'dashboard session', method: 'POST', path: '/_shim/dashboard/session', headers: FORM, body: `token=${ADMIN_TOKEN}`, status: 303, contentType: null, answer: '', carries: { location: '/_shim/dashboard', 'set-cookie': /^shim_admin_session=\d+\.[\w-]{43}; Path=\/_shim;/ } },
  { name: 'dashboard session GET', method: 'GET', path: '/_shim/dashboard/session', ...NOT_FOUND },
  { name: 'dashboard sign-out', method: 'POST', path: '/_shim/dashboard/sign-out', status: 303, contentType: null, answer: '', carries: { location: '/_shim/dashboard', 'set-cookie': /^shim_admin_session=; Path=\/_shim; Max-Age=0/ } },
  { name: 'dashboard sign-out GET', method: 'GET', path: '/_shim/dashboard/sign-out', ...NOT_FOUND },
  // Anything else.
  { name: 'root', method: 'GET', path: '/', ...NOT_FOUND },
  { name: 'unknown path', method: 'GET', path: '/_shim/nope', ...NOT_FOUND },
  { name: 'a longer path', method: 'GET', path: `${PATH}/more${create}`, ...NOT_FOUND },
  { name: 'unknown path HEAD', method: 'HEAD', path: '/nope', status: 404, contentType: 'text/plain; charset=UTF-8', answer: '' },
];

/** Sends one case to a fresh shim (admin token set, the dashboard in memory) and checks what comes back. */
export async function checkRoute(c: RouteCase): Promise<void> {
  const h = makeHarness({ dashboardAssets: MEMORY_DASHBOARD });
  const res = await h.shim.fetch(new Request(`${BASE}${c.path}`, { method: c.method, ...(c.headers ? { headers: c.headers } : {}), ...(c.body !== undefined ? { body: c.body } : {}) }));
  const text = await res.text();
  expect(res.status, `${c.name}: ${text}`).toBe(c.status);
  expect(res.headers.get('content-type'), c.name).toBe(c.contentType);
  if (typeof c.answer === 'string') expect(text, c.name).toBe(c.answer);
  else expect(text, c.name).toMatch(c.answer);
  for (const [name, value] of Object.entries(c.carries ?? {})) {
    if (typeof value === 'string') expect(res.headers.get(name), `${c.name}: ${name}`).toBe(value);
    else expect(res.headers.get(name) ?? '', `${c.name}: ${name}`).toMatch(value);
  }
  await h.shim.idle();
  expect(h.v2Mutations().length, `${c.name}: mutations sent to v2`).toBe(c.v2Mutations ?? 0);
  for (const line of h.logs) expect(line).not.toContain(KEY);
}
