import type { Hono } from 'hono';
import { secretsMatch } from '@cloudagent-phone/server';
import type { MigrationReport } from '../usage/migration-report.js';
import { DASHBOARD_HEADERS, renderDashboard, renderSignIn, renderUnavailable } from './page.js';
import { clearedSessionCookie, hasValidSession, sessionCookie } from './session.js';

export interface DashboardOptions {
  adminToken: string | undefined;
  now: () => number;
  /** The same report `/_shim/metrics` returns. */
  report: () => Promise<MigrationReport>;
}

/** A sign-in form carries one token: anything longer is not one. */
const MAX_SIGN_IN_BODY = 4_096;

/**
 * `/_shim/dashboard`: the control room page, behind the admin token. Signed out, it answers 401
 * with the sign-in form and nothing else; the token is only ever sent in a POST body, never in a
 * URL (it would land in history, logs and Referer headers).
 */
export function registerDashboard(app: Hono, options: DashboardOptions): void {
  const { adminToken, now } = options;
  const page = (html: string, status: number, extra: Record<string, string> = {}) => new Response(html, { status, headers: { ...DASHBOARD_HEADERS, ...extra } });

  app.get('/_shim/dashboard', async (c) => {
    if (!adminToken) return c.json({ error: 'not found' }, 404);
    if (!(await hasValidSession(c.req.header('cookie'), adminToken, now()))) {
      return page(renderSignIn(), 401, { 'www-authenticate': 'Bearer realm="v1 shim admin"' });
    }
    let report: MigrationReport;
    try {
      report = await options.report();
    } catch {
      return page(renderUnavailable(), 503);
    }
    return page(renderDashboard(report), 200);
  });

  // The form on its own (200), for a bookmark or a browser that treats 401 pages as errors.
  app.get('/_shim/dashboard/sign-in', (c) => (adminToken ? page(renderSignIn(), 200) : c.json({ error: 'not found' }, 404)));

  app.post('/_shim/dashboard/session', async (c) => {
    if (!adminToken) return c.json({ error: 'not found' }, 404);
    const body = new TextDecoder().decode(await c.req.arrayBuffer());
    const token = body.length <= MAX_SIGN_IN_BODY ? new URLSearchParams(body).get('token') ?? undefined : undefined;
    if (!(await secretsMatch(token, adminToken))) {
      return page(renderSignIn('That is not the admin token. Paste the value of SHIM_ADMIN_TOKEN.'), 401);
    }
    return new Response(null, { status: 303, headers: { location: '/_shim/dashboard', 'set-cookie': await sessionCookie(adminToken, now()), 'cache-control': 'no-store' } });
  });

  app.post('/_shim/dashboard/sign-out', (c) => {
    if (!adminToken) return c.json({ error: 'not found' }, 404);
    return new Response(null, { status: 303, headers: { location: '/_shim/dashboard', 'set-cookie': clearedSessionCookie(), 'cache-control': 'no-store' } });
  });
}
