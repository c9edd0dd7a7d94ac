// /_shim/dashboard without a browser: who gets in (the sign-in form trades the token for a signed
// cookie; never a token in a URL), what a signed-out visitor sees (nothing), and that the page is
// the static shell from assets/ while the data comes from /_shim/metrics behind the cookie. What
// the page draws and escapes is the real-browser test's (dashboard.browser.test.ts).
import { describe, expect, it } from 'vitest';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { fileDashboardAssets } from '../../src/dashboard/file-assets.js';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../src/dashboard/session.js';
import { ADMIN_TOKEN, KEY, USER, makeHarness } from '../matrix.js';

const BASE = 'http://shim.test';
const dashboardAssets = fileDashboardAssets();
const signIn = (shim: { fetch: (r: Request) => Promise<Response> }, token: string) =>
  shim.fetch(new Request(`${BASE}/_shim/dashboard/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() }));
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('/_shim/dashboard sign-in', () => {
  it('signed out: 401 with the sign-in form and no data; the token in a URL does not sign in', async () => {
    const h = makeHarness({ dashboardAssets });
    await h.send({ query: `?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B917000000901&phoneName=Dash1` });
    for (const url of [`${BASE}/_shim/dashboard`, `${BASE}/_shim/dashboard?token=${ADMIN_TOKEN}`, `${BASE}/_shim/dashboard?access_token=${ADMIN_TOKEN}`]) {
      const res = await h.shim.fetch(new Request(url));
      const html = await res.text();
      expect(res.status).toBe(401);
      expect(html).toContain('<form class="sign-in" method="post" action="/_shim/dashboard/session">');
      expect(html).not.toContain(USER);
      expect(html).not.toContain('traffic-chart');
    }
    // A bearer header is for scripts (/_shim/metrics); the page wants the signed cookie.
    expect((await h.shim.fetch(new Request(`${BASE}/_shim/dashboard`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }))).status).toBe(401);
  });

  it('a wrong token gets 401 and no cookie; the right one a 303 and an HttpOnly, SameSite=Strict, Secure cookie without the token', async () => {
    const h = makeHarness({ dashboardAssets });
    const wrong = await signIn(h.shim, `${ADMIN_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That is not the admin token');

    const ok = await signIn(h.shim, ADMIN_TOKEN);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/_shim/dashboard');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=\\d+\\.[\\w-]{43}; Path=/_shim; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; Secure; SameSite=Strict$`));
    expect(setCookie).not.toContain(ADMIN_TOKEN);

    const page = await h.shim.fetch(new Request(`${BASE}/_shim/dashboard`, { headers: { cookie: `other=1; ${cookieOf(ok)}` } }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    // The shell from assets/: its styles and renderer, and no data of its own.
    const shell = await page.text();
    expect(shell).toContain('<script type="module" src="/_shim/dashboard/dashboard.js"></script>');
    expect(shell).not.toContain(USER);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

    const out = await h.shim.fetch(new Request(`${BASE}/_shim/dashboard/sign-out`, { method: 'POST', headers: { cookie: cookieOf(ok) } }));
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('refuses a forged, tampered, expired or other-token cookie', async () => {
    let clock = Date.UTC(2026, 11, 1, 12);
    const shim = createShim({ config: configFromEnv({ SHIM_ADMIN_TOKEN: ADMIN_TOKEN }), v2Transport: createFetchTransport({ fetch: () => Promise.reject(new Error('no network')) }), log: () => {}, now: () => clock, dashboardAssets });
    const other = createShim({ config: configFromEnv({ SHIM_ADMIN_TOKEN: `${ADMIN_TOKEN}-other` }), v2Transport: createFetchTransport({ fetch: () => Promise.reject(new Error('no network')) }), log: () => {}, now: () => clock, dashboardAssets });
    const good = cookieOf(await signIn(shim, ADMIN_TOKEN));
    const visit = (s: typeof shim, cookie: string) => s.fetch(new Request(`${BASE}/_shim/dashboard`, { headers: { cookie } })).then((r) => r.status);
    expect(await visit(shim, good)).toBe(200);
    const [name, value] = good.split('=') as [string, string];
    const [expires, mac] = value.split('.') as [string, string];
    expect(await visit(shim, `${name}=${Number(expires) + 1}.${mac}`)).toBe(401);
    expect(await visit(shim, `${name}=${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`)).toBe(401);
    expect(await visit(shim, `${name}=${ADMIN_TOKEN}`)).toBe(401);
    expect(await visit(other, good)).toBe(401);
    clock += SESSION_TTL_MS + 1;
    expect(await visit(shim, good)).toBe(401);
  });

  it('answers 404 when no admin token is configured', async () => {
    const open = createShim({ config: configFromEnv({}), v2Transport: createFetchTransport({ fetch: () => Promise.reject(new Error('no network')) }), log: () => {} });
    expect((await open.fetch(new Request(`${BASE}/_shim/dashboard`))).status).toBe(404);
    expect((await signIn(open, 'anything-at-all-1234')).status).toBe(404);
  });
});

describe('/_shim/dashboard page', () => {
  it('is the same shell for every account; its data, /_shim/metrics, answers the cookie and carries no key', async () => {
    // Named in the configuration, so it is a label (a name CloudAgent never accepted would not be).
    const hostile = '<img/src=x/onerror=alert(1)>';
    const h = makeHarness({ env: { SHIM_KILL_SWITCH: '1', SHIM_ACCOUNT_MODES: `${hostile}=v2` }, dashboardAssets });
    await h.send({ query: `?action=create&apiKey=${KEY}&userName=${encodeURIComponent(hostile)}&phoneNumber=&phoneName=X1` });
    const cookie = cookieOf(await signIn(h.shim, ADMIN_TOKEN));
    const html = await (await h.shim.fetch(new Request(`${BASE}/_shim/dashboard`, { headers: { cookie } }))).text();
    expect(html).not.toContain('<img/src=x');
    expect(html).not.toContain('onerror');
    const signedOut = await h.shim.fetch(new Request(`${BASE}/_shim/metrics`));
    expect(signedOut.status).toBe(401);
    const metrics = await h.shim.fetch(new Request(`${BASE}/_shim/metrics`, { headers: { cookie } }));
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const report = JSON.parse(text) as { rollout: { killSwitch: boolean }; accounts: { account: string }[] };
    expect(report.rollout.killSwitch).toBe(true);
    expect(report.accounts.map((a) => a.account)).toContain(hostile);
    for (const t of [html, text]) {
      expect(t).not.toContain(KEY);
      expect(t).not.toContain(ADMIN_TOKEN);
    }
  });

  it('answers 404 without its asset files, and a forged cookie does not open /_shim/metrics', async () => {
    const h = makeHarness();
    const cookie = cookieOf(await signIn(makeHarness({ dashboardAssets }).shim, ADMIN_TOKEN));
    expect((await h.shim.fetch(new Request(`${BASE}/_shim/dashboard`, { headers: { cookie } }))).status).toBe(404);
    expect((await h.shim.fetch(new Request(`${BASE}/_shim/metrics`, { headers: { cookie: `${SESSION_COOKIE}=1.${'A'.repeat(43)}` } }))).status).toBe(401);
  });
});
