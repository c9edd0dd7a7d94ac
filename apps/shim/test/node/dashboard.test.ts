// /_shim/dashboard without a browser: who gets in (the sign-in form trades the token for a signed
// cookie; never a token in a URL), what a signed-out visitor sees (nothing), and what the page
// escapes. The real-browser test is dashboard.browser.test.ts.
import { describe, expect, it } from 'vitest';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../src/dashboard/session.js';
import { ADMIN_TOKEN, KEY, USER, makeHarness } from '../matrix.js';

const BASE = 'http://shim.test';
const signIn = (shim: { fetch: (r: Request) => Promise<Response> }, token: string) =>
  shim.fetch(new Request(`${BASE}/_shim/dashboard/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() }));
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('/_shim/dashboard sign-in', () => {
  it('signed out: 401 with the sign-in form and no data; the token in a URL does not sign in', async () => {
    const h = makeHarness();
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
    const h = makeHarness();
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
    expect(await page.text()).toContain('id="traffic-chart"');

    const out = await h.shim.fetch(new Request(`${BASE}/_shim/dashboard/sign-out`, { method: 'POST', headers: { cookie: cookieOf(ok) } }));
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('refuses a forged, tampered, expired or other-token cookie', async () => {
    let clock = Date.UTC(2026, 11, 1, 12);
    const shim = createShim({ config: configFromEnv({ SHIM_ADMIN_TOKEN: ADMIN_TOKEN }), v2Transport: createFetchTransport({ fetch: () => Promise.reject(new Error('no network')) }), log: () => {}, now: () => clock });
    const other = createShim({ config: configFromEnv({ SHIM_ADMIN_TOKEN: `${ADMIN_TOKEN}-other` }), v2Transport: createFetchTransport({ fetch: () => Promise.reject(new Error('no network')) }), log: () => {}, now: () => clock });
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
  it('escapes account names, shows the kill switch, and carries no key', async () => {
    // Named in the configuration, so it is a label (a name CloudAgent never accepted would not be).
    const hostile = '<img/src=x/onerror=alert(1)>';
    const h = makeHarness({ env: { SHIM_KILL_SWITCH: '1', SHIM_ACCOUNT_MODES: `${hostile}=v2` } });
    await h.send({ query: `?action=create&apiKey=${KEY}&userName=${encodeURIComponent(hostile)}&phoneNumber=&phoneName=X1` });
    const res = await h.shim.fetch(new Request(`${BASE}/_shim/dashboard`, { headers: { cookie: cookieOf(await signIn(h.shim, ADMIN_TOKEN)) } }));
    const html = await res.text();
    expect(html).not.toContain('<img/src=x');
    expect(html).toContain('&lt;img/src=x/onerror=alert(1)&gt;');
    expect(html).toContain('<span data-field="killSwitch" class="kill-on">ON: every call goes to v1</span>');
    expect(html).not.toContain(KEY);
    expect(html).not.toContain(ADMIN_TOKEN);
  });
});
