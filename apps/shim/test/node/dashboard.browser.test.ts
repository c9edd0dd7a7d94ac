// Issue 15's browser proof: Debian's chromium (playwright-core) opens /_shim/dashboard after a
// scripted mix of v1 and v2 traffic spread over two weeks (a controlled clock), through two shim
// configurations sharing one data directory (a reconfigure and restart). The chart's points and
// the table's numbers equal /_shim/metrics; no console errors; signed out it is 401 with no data;
// no canary key anywhere. The screenshot is kept in test-artifacts/ (gitignored).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { configFromEnv } from '../../src/config.js';
import { startShim, type RunningShim } from '../../src/node.js';
import type { MigrationReport } from '../../src/usage/migration-report.js';
import { DAY_MS } from '../../src/usage/usage-row.js';
import { launchChromium } from './chromium.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');
const ADMIN = 'browser-admin-token-0123456789abcdef';
const PATH = '/CAServices/PhoneManageV2.php';
const ACCOUNTS = ['acme', 'globex', 'initech', 'hooli'] as const;
const keyOf = (account: string) => `CANARY-KEY-${account}-51c0e7`;
const TODAY = Date.UTC(2026, 11, 14, 9);

/** One CloudAgent account per simulator; a request goes to its userName's simulator (v2 body or v1 query). */
function accountRouter(sims: Map<string, Simulator>) {
  return createFetchTransport({
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const body = request.method === 'GET' ? '' : await request.clone().text();
      const userName = url.searchParams.get('userName') ?? (body.startsWith('{') ? (JSON.parse(body) as { userName?: string }).userName : new URLSearchParams(body).get('userName')) ?? '';
      const sim = sims.get(userName);
      return sim ? sim.fetch(request) : new Response('{"status":"error","message":"userName or apiKey not valid"}', { headers: { 'content-type': 'application/json' } });
    },
  });
}

let browser: Browser;
let shim: RunningShim;
let dataDir: string;
const logs: string[] = [];
let clock = TODAY;

async function call(base: string, account: string, i: number, extra = '') {
  // Every other call glued by hand with a raw +, which arrives as a space: the plus-as-space quirk.
  const plus = i % 2 ? '+' : '%2B';
  const res = await fetch(`${base}${PATH}?action=create&apiKey=${keyOf(account)}&userName=${account}&phoneNumber=${plus}9171${String(i).padStart(8, '0')}&phoneName=Desk${i}${extra}`);
  await res.text();
}

/** `count` calls from `account` on the day `daysAgo` before TODAY. */
async function onDay(s: RunningShim, daysAgo: number, account: string, count: number, extra = '') {
  clock = TODAY - daysAgo * DAY_MS;
  for (let i = 0; i < count; i++) await call(s.url, account, daysAgo * 100 + i + (account.length << 12), extra);
}

beforeAll(async () => {
  browser = await launchChromium();
  dataDir = await mkdtemp(join(tmpdir(), 'shim-dashboard-'));
  const v2 = new Map(ACCOUNTS.map((a) => [a, createSimulator({ userName: a, apiKey: keyOf(a) })] as [string, Simulator]));
  const v1 = new Map(ACCOUNTS.map((a) => [a, createSimulator({ userName: a, apiKey: keyOf(a) })] as [string, Simulator]));
  const base = { CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_V1_BASE_URL: 'https://v1.test', SHIM_ADMIN_TOKEN: ADMIN, SHIM_USAGE_FLUSH_MS: '0' };
  const options = { dataDir, v2Transport: accountRouter(v2), v1Transport: accountRouter(v1), log: (l: string) => void logs.push(l), now: () => clock };

  // Before: acme still on v1 (passed through), hooli already on v2, then quiet.
  const before = await startShim({ ...options, config: configFromEnv({ ...base, SHIM_ACCOUNT_MODES: 'acme=v1,globex=v1' }) });
  await onDay(before, 12, 'acme', 3);
  await onDay(before, 11, 'acme', 2);
  await onDay(before, 10, 'acme', 4);
  await onDay(before, 10, 'hooli', 2);
  await before.close();

  // After a reconfigure: acme through v2 (ready after 7 quiet days), globex still v1, initech verified with a mismatch.
  shim = await startShim({ ...options, config: configFromEnv({ ...base, SHIM_ACCOUNT_MODES: 'globex=v1,initech=verify', SHIM_ROLLOUT_PERCENT: '100' }) });
  for (let d = 6; d >= 0; d--) await onDay(shim, d, 'acme', 1 + (d % 3));
  for (let d = 3; d >= 0; d--) await onDay(shim, d, 'globex', 2);
  await onDay(shim, 2, 'initech', 2);
  await onDay(shim, 1, 'initech', 1, '&assignSkill=Sales'); // not a create parameter: an unused-parameter mismatch
  clock = TODAY;
  await shim.idle();
  await mkdir(ARTIFACTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await shim?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function metrics(): Promise<{ report: MigrationReport; text: string }> {
  const res = await fetch(`${shim.url}/_shim/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
  const text = await res.text();
  return { report: JSON.parse(text) as MigrationReport, text };
}

// A browser on a loaded two-core machine: generous per-test time (behaviour is asserted, not speed).
describe('the dashboard in a real browser', { timeout: 120_000 }, () => {
  it('signed out: 401, the sign-in form, and no data', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const res = await page.goto(`${shim.url}/_shim/dashboard`);
      expect(res?.status()).toBe(401);
      expect(await page.locator('form.sign-in').count()).toBe(1);
      const html = await page.content();
      for (const a of ACCOUNTS) expect(html).not.toContain(a);
      expect(await page.locator('#traffic-chart, #accounts-table').count()).toBe(0);
      // A wrong token: still 401, still nothing.
      await page.fill('#token', `${ADMIN}-wrong`);
      const [wrong] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(wrong?.status()).toBe(401);
      expect(await page.locator('[role=alert]').textContent()).toContain('not the admin token');
      expect((await context.cookies()).length).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('signed in: the chart points and the table numbers equal /_shim/metrics, mismatches highlighted, no console error', async () => {
    const context = await browser.newContext();
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
      page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => void problems.push(`requestfailed: ${r.url()}`));
      const requests: string[] = [];
      page.on('request', (r) => void requests.push(r.url()));

      await page.goto(`${shim.url}/_shim/dashboard/sign-in`);
      await page.fill('#token', ADMIN);
      const [landed] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(landed?.status()).toBe(200);
      expect(page.url()).toBe(`${shim.url}/_shim/dashboard`);
      // The page is a static shell; its script draws /_shim/metrics into it.
      await page.waitForSelector('#traffic-chart', { timeout: 60_000 });
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'shim_admin_session', httpOnly: true, secure: true, sameSite: 'Strict', path: '/_shim' });
      expect(cookie!.value).not.toContain(ADMIN);

      const { report, text } = await metrics();
      // The scripted traffic itself, so that "equal" below compares something real.
      expect(report.accounts.map((a) => [a.account, a.readiness])).toEqual([
        ['acme', 'ready'],
        ['initech', 'not-ready'],
        ['globex', 'not-ready'],
      ]);
      expect(report.silent.map((a) => a.account)).toEqual(['hooli']);
      // v1: acme 3+2+4 before, globex 4x2; v2: hooli 2, acme 13 over the last 7 days, initech 3.
      expect(report.totals.bySide).toEqual({ v1: 17, v2: 18, local: 0 });

      const points = await page.$$eval('#traffic-chart circle', (els) => els.map((e) => ({ series: e.getAttribute('data-series'), day: e.getAttribute('data-day'), count: Number(e.getAttribute('data-count')) })));
      expect(points).toEqual([...report.days.map((d) => ({ series: 'v1', day: d.day, count: d.v1 })), ...report.days.map((d) => ({ series: 'v2', day: d.day, count: d.v2 }))]);
      expect(points.filter((p) => p.count > 0).length).toBeGreaterThan(8);
      expect(report.totals.quirks['plus-as-space']).toBeGreaterThan(0);

      const table = async (id: string) =>
        page.$$eval(`#${id} tbody tr`, (rows) =>
          rows.map((r) => {
            const field = (name: string) => r.querySelector(`[data-field="${name}"]`)?.textContent?.trim() ?? null;
            return { account: r.getAttribute('data-account'), readiness: field('readiness'), recentCalls: Number(field('recentCalls')), recentV1Calls: Number(field('recentV1Calls')), recentMismatches: Number(field('recentMismatches')), calls: Number(field('calls')), quirks: Number(field('quirks')), highlighted: r.classList.contains('has-mismatch') };
          }),
        );
      const expected = (list: MigrationReport['accounts']) =>
        list.map((a) => ({ account: a.account, readiness: a.readiness, recentCalls: a.recent.calls, recentV1Calls: a.recent.v1Calls, recentMismatches: a.recent.mismatches, calls: a.calls, quirks: Object.values(a.quirks).reduce((n, c) => n + c, 0), highlighted: Object.keys(a.mismatches).length > 0 }));
      expect(await table('accounts-table')).toEqual(expected(report.accounts));
      expect(await table('silent-table')).toEqual(expected(report.silent));
      expect((await table('accounts-table')).find((r) => r.account === 'initech')).toMatchObject({ highlighted: true, recentMismatches: 1 });
      expect(await page.locator('tr[data-account="initech"] td').first().evaluate((td) => getComputedStyle(td).backgroundColor)).toBe('rgb(255, 241, 241)');

      expect(await page.locator('[data-field="rolloutPercent"]').textContent()).toBe(String(report.rollout.percent));
      expect(await page.locator('[data-field="killSwitch"]').textContent()).toBe('off');
      expect(await page.locator('[data-field="totalCalls"]').textContent()).toBe(String(report.totals.calls));

      // Styles and script came from the shim itself (static assets), and the page made no other request.
      expect(requests).toEqual(expect.arrayContaining([`${shim.url}/_shim/dashboard/dashboard.css`, `${shim.url}/_shim/dashboard/dashboard.js`, `${shim.url}/_shim/metrics`]));
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests.every((u) => u.startsWith(shim.url) || u.startsWith('data:'))).toBe(true);

      const html = await page.content();
      for (const a of ACCOUNTS) {
        expect(html).not.toContain(keyOf(a));
        expect(text).not.toContain(keyOf(a));
      }
      expect(logs.length).toBeGreaterThanOrEqual(35); // one line per call at least
      for (const l of logs) expect(l).not.toMatch(/CANARY-KEY/);
    } finally {
      await context.close();
    }
  });

  it('draws a hostile account name as text, and the kill switch as ON', async () => {
    // Named in the configuration, so it is a label (a name CloudAgent never accepted would not be).
    const hostile = '<img/src=x/onerror=window.__pwned=1>';
    const own = await startShim({ config: configFromEnv({ SHIM_ADMIN_TOKEN: ADMIN, SHIM_KILL_SWITCH: '1', SHIM_V1_BASE_URL: 'https://v1.test', SHIM_USAGE_FLUSH_MS: '0', SHIM_ACCOUNT_MODES: `${hostile}=v2` }), v1Transport: accountRouter(new Map()), log: () => {} });
    const context = await browser.newContext();
    const problems: string[] = [];
    try {
      await (await fetch(`${own.url}${PATH}?action=create&apiKey=${keyOf('x')}&userName=${encodeURIComponent(hostile)}&phoneNumber=%2B917100000001&phoneName=Desk1`)).text();
      await own.idle();
      const page = await context.newPage();
      page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => void problems.push(`dialog: ${d.message()}`));
      await page.goto(`${own.url}/_shim/dashboard/sign-in`);
      await page.fill('#token', ADMIN);
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      await page.waitForSelector('#accounts-table, [data-empty="accounts-table"]', { timeout: 60_000 });
      const cells = await page.$$eval('tr[data-account] td:first-child', (tds) => tds.map((td) => td.textContent));
      expect(cells).toContain(hostile);
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('[data-field="killSwitch"]').textContent()).toBe('ON: every call goes to v1');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await own.close();
    }
  });
});
