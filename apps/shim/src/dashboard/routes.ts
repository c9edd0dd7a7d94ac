import type { Router } from '../router.js';
import { secretsMatch } from '@cloudagent-phone/server';
import { CONTENT_TYPES, dashboardFile, type DashboardAssets } from './assets.js';
import { clearedSessionCookie, hasValidSession, sessionCookie } from './session.js';

export interface DashboardOptions {
  adminToken: string | undefined;
  now: () => number;
  /** The page, its styles and its renderer (assets/_shim/dashboard). Without them the dashboard answers 404. */
  assets: DashboardAssets | undefined;
}

/** Sent with every dashboard page: only this origin's own files load, nothing frames it, nothing is cached. */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'content-type': CONTENT_TYPES.html!,
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A sign-in form carries one token: anything longer is not one. */
const MAX_SIGN_IN_BODY = 4_096;

const WRONG_TOKEN = '<p class="error" role="alert">That is not the admin token. Paste the value of SHIM_ADMIN_TOKEN.</p>';

/**
 * `/_shim/dashboard`: the control room page, behind the admin token. Signed out, it answers 401
 * with the sign-in form and nothing else; the token is only ever sent in a POST body, never in a
 * URL (it would land in history, logs and Referer headers). The page holds no data: its script
 * draws `/_shim/metrics`, which takes the session cookie as well as the bearer token.
 * Its styles and script (`dashboard.css`, `dashboard.js`) hold no data and are not routed here:
 * Workers serves them as static assets, the Node server from the same files (`serveDashboardStatic`).
 */
export function registerDashboard(router: Pick<Router, 'on'>, options: DashboardOptions): void {
  const { adminToken, now, assets } = options;
  const notFound = () => Response.json({ error: 'not found' }, { status: 404 });
  const page = (html: string, status: number, extra: Record<string, string> = {}) => new Response(html, { status, headers: { ...DASHBOARD_HEADERS, ...extra } });
  const signIn = async (status: number, message = '') =>
    page((await dashboardFile(assets!, 'sign-in.html')).replace('<!--message-->', message), status, status === 401 ? { 'www-authenticate': 'Bearer realm="v1 shim admin"' } : {});
  const signedIn = async (cookie: string | undefined) => hasValidSession(cookie, adminToken!, now());
  const enabled = adminToken !== undefined && assets !== undefined;

  router.on('GET', '/_shim/dashboard', async ({ request }) => {
    if (!enabled) return notFound();
    if (!(await signedIn(request.headers.get('cookie') ?? undefined))) return signIn(401);
    return page(await dashboardFile(assets, 'index.html'), 200);
  });

  // The form on its own (200), for a bookmark or a browser that treats 401 pages as errors.
  router.on('GET', '/_shim/dashboard/sign-in', () => (enabled ? signIn(200) : notFound()));

  router.on('POST', '/_shim/dashboard/session', async ({ request }) => {
    if (!enabled) return notFound();
    const body = new TextDecoder().decode(await request.arrayBuffer());
    const token = body.length <= MAX_SIGN_IN_BODY ? new URLSearchParams(body).get('token') ?? undefined : undefined;
    if (!(await secretsMatch(token, adminToken))) return signIn(401, WRONG_TOKEN);
    return new Response(null, { status: 303, headers: { location: '/_shim/dashboard', 'set-cookie': await sessionCookie(adminToken, now()), 'cache-control': 'no-store' } });
  });

  router.on('POST', '/_shim/dashboard/sign-out', () => {
    if (!enabled) return notFound();
    return new Response(null, { status: 303, headers: { location: '/_shim/dashboard', 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' } });
  });
}
