import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import { sparkline } from '../../migrate/shim-status.js';
import MigrateStatus from './status.js';

const TOKEN = 'CANARY-KEY-shim-admin-0a9f3c';

/** A report as the shim's /_shim/metrics returns it (the fields migrate status reads, and more). */
function report(overrides: { allReady?: boolean } = {}) {
  const day = (d: string, v1: number, v2: number) => ({ day: d, v1, v2, local: 0, routes: { v1, v2 } });
  const account = (name: string, readiness: string, extra: Record<string, unknown>) => ({
    account: name,
    readiness,
    reason: `${name} reason`,
    firstV1Call: null,
    lastV1Call: null,
    lastCall: '2026-12-14T09:00:00.000Z',
    calls: 10,
    v1Calls: 0,
    recent: { calls: 5, v1Calls: 0, mismatches: 0 },
    days: [],
    outcomes: { success: 10 },
    quirks: {},
    mismatches: {},
    ...extra,
  });
  const accounts = [
    account('acme', 'ready', { lastV1Call: '2026-12-04T09:00:00.000Z', recent: { calls: 13, v1Calls: 0, mismatches: 0 }, quirks: { 'plus-as-space': 4, 'alias-key': 1 }, days: [day('2026-12-04', 4, 0), day('2026-12-12', 0, 2), day('2026-12-14', 0, 8)] }),
    ...(overrides.allReady ? [] : [account('globex', 'not-ready', { lastV1Call: '2026-12-14T09:00:00.000Z', recent: { calls: 8, v1Calls: 8, mismatches: 1 }, days: [day('2026-12-13', 4, 0), day('2026-12-14', 4, 0)] })]),
  ];
  const silent = overrides.allReady ? [] : [account('hooli', 'silent', { lastCall: '2026-12-04T09:00:00.000Z', recent: { calls: 0, v1Calls: 0, mismatches: 0 }, days: [day('2026-12-04', 0, 2)] })];
  return {
    generatedAt: '2026-12-14T09:30:00.000Z',
    since: '2026-11-09T09:00:00.000Z',
    retentionDays: 35,
    readyAfterDays: 7,
    rollout: { percent: 40, mode: 'v2', killSwitch: false },
    v2Calls: 20,
    v1PassThroughs: 17,
    totals: { calls: 37 },
    days: [],
    readiness: { ready: 1, notReady: accounts.length - 1, silent: silent.length, allReady: overrides.allReady ?? false },
    accounts,
    silent,
    calls: [],
    quirks: [],
    mismatches: [],
  };
}

let server: Server;
let base: string;
let answer: (req: IncomingMessage) => { status: number; body: string };
let seen: IncomingMessage[];
let out: string;
let err: string;

beforeEach(async () => {
  seen = [];
  answer = (req) => (req.headers.authorization === `Bearer ${TOKEN}` ? { status: 200, body: JSON.stringify(report()) } : { status: 401, body: '{"error":"admin token missing or wrong"}' });
  server = createServer((req, res) => {
    seen.push(req);
    const { status, body } = req.url === '/_shim/metrics' ? answer(req) : { status: 404, body: '{"error":"not found"}' };
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  out = '';
  err = '';
  process.exitCode = undefined;
  vi.stubEnv('SHIM_ADMIN_TOKEN', TOKEN);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  await new Promise((r) => server.close(r));
});

describe('caphone migrate status', () => {
  it('prints the per-account table with a sparkline each, silent accounts apart, and exits 9 while an account is not ready', async () => {
    await MigrateStatus.run(['--shim', base, '--verbose'], import.meta.url);
    expect(process.exitCode).toBe(EXIT.v1Findings);
    expect(err).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/_shim\/metrics -> HTTP 200, \d+ bytes$/m);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const lines = out.split('\n');
    expect(lines[0]).toBe('rollout 40% (mode v2), kill switch off; ready after 7 days without a v1 call or a mismatch');
    expect(lines[2]).toMatch(/^ACCOUNT\s+VERDICT\s+LAST V1 CALL\s+CALLS 7D\s+V1 7D\s+MISMATCHES 7D\s+QUIRKS\s+LAST 14 DAYS$/);
    expect(lines[3]).toMatch(/^acme\s+ready\s+2026-12-04 09:00Z\s+13\s+0\s+0\s+plus-as-space 4, alias-key 1\s+···▄·······▂·█$/);
    expect(lines[4]).toMatch(/^globex\s+not-ready\s+2026-12-14 09:00Z\s+8\s+8\s+1\s+-\s+·{12}██$/);
    expect(out).toContain('silent: no call in 7 days (never counted as ready)');
    expect(out).toMatch(/\nhooli\s+silent\s+-\s+0\s+0\s+0\s+-\s+···█··········\n/);
    expect(out).toContain('1 ready, 1 not ready, 1 silent');
    expect(err).toContain('Error (validation_error, exit 9): 2 of 3 account(s) not ready to cut over (1 not ready, 1 silent)');
    expect(out + err).not.toContain(TOKEN);
  });

  it('--json: the table as data (daily calls and sparkline per account), exit 0 when every account is ready', async () => {
    answer = () => ({ status: 200, body: JSON.stringify(report({ allReady: true })) });
    await MigrateStatus.run(['--shim', `${base}/`, '--json'], import.meta.url);
    expect(process.exitCode ?? 0).toBe(0);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['outcome', 'message', 'result', 'warnings', 'request']);
    expect(doc).toMatchObject({ outcome: 'success', message: 'all 1 account(s) ready to cut over', warnings: [] });
    expect(doc.result).toMatchObject({ shim: base, ready: true, readyAfterDays: 7, rollout: { percent: 40, killSwitch: false }, silent: [] });
    expect(doc.result.accounts).toEqual([
      expect.objectContaining({ account: 'acme', readiness: 'ready', lastV1Call: '2026-12-04T09:00:00.000Z', quirkCount: 5, daily: [0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 8], sparkline: '···▄·······▂·█' }),
    ]);
    expect(out + err).not.toContain(TOKEN);
  });

  it('says what to do for a refused token (3), a missing one (2), an unreachable shim (7), a non-shim (5), a bad --shim (2)', async () => {
    const run = async (args: string[], env?: string) => {
      out = '';
      err = '';
      process.exitCode = undefined;
      if (env !== undefined) vi.stubEnv('SHIM_ADMIN_TOKEN', env);
      await MigrateStatus.run([...args, '--json'], import.meta.url);
      return { code: process.exitCode, doc: JSON.parse(out) as { outcome: string; message: string } };
    };
    expect(await run(['--shim', base], 'CANARY-KEY-wrong-token-99')).toMatchObject({ code: EXIT.authRejected, doc: { outcome: 'auth_error', message: 'the shim refused the admin token' } });
    expect(out).not.toContain('CANARY-KEY-wrong-token-99');
    expect(await run(['--shim', base], '')).toMatchObject({ code: EXIT.invalidInput, doc: { message: 'no admin token: set SHIM_ADMIN_TOKEN or pipe it with --admin-token-stdin' } });
    const closed = await new Promise<string>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
        s.close(() => resolve(url));
      });
    });
    expect(await run(['--shim', closed], TOKEN)).toMatchObject({ code: EXIT.transient, doc: { message: expect.stringMatching(/^could not reach the shim at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/) } });
    answer = () => ({ status: 200, body: JSON.stringify({ ...report(), accounts: [{ account: 'x' }] }) });
    expect(await run(['--shim', base], TOKEN)).toMatchObject({ code: EXIT.rejected, doc: { message: "the shim's answer is not a migration report: report.accounts[0].readiness must be one of ready, not-ready, silent" } });
    expect(await run(['--shim', `${base}/elsewhere`], TOKEN)).toMatchObject({ code: EXIT.rejected, doc: { message: '/elsewhere/_shim/metrics is not there (HTTP 404)' } });
    expect(await run(['--shim', 'shim.example.com'], TOKEN)).toMatchObject({ code: EXIT.invalidInput, doc: { message: '--shim must be an absolute https URL such as https://shim.example.com' } });
    expect(await run(['--shim', `${base}?token=${TOKEN}`], TOKEN)).toMatchObject({ code: EXIT.invalidInput });
    expect(out).not.toContain(TOKEN);
  });
});

describe('sparkline', () => {
  it('scales to the busiest day, one character per day, a dot for none', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('·▁▂▄█');
    expect(sparkline([0, 0])).toBe('··');
    expect(sparkline([3])).toBe('█');
  });
});
