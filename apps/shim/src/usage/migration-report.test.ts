import { describe, expect, it } from 'vitest';
import { buildMigrationReport } from './migration-report.js';
import { DAY_MS, hourOf, usageKey, type UsageRow } from './usage-row.js';

const NOW = Date.UTC(2026, 11, 20, 10, 15);
const H = hourOf(NOW);
const rollout = { percent: 50, mode: 'v2', killSwitch: false };
const row = (daysAgo: number, account: string, key: string, count = 1): UsageRow => ({ hour: H - daysAgo * DAY_MS, account, key, count });
const v1 = usageKey.call('v1', 'edit', 'success');
const v2 = usageKey.call('v2', 'edit', 'success');

describe('buildMigrationReport: readiness', () => {
  const rows: UsageRow[] = [
    // ready: called v1 10 days ago, only v2 since (7-day window)
    row(10, 'ready_co', v1, 4),
    row(3, 'ready_co', v2, 5),
    row(0, 'ready_co', usageKey.quirk('plus-as-space'), 2),
    // not ready: a v1 (shadow) call 2 days ago
    row(2, 'shadowy', usageKey.call('shadow', 'create', 'success')),
    row(1, 'shadowy', v2, 3),
    // not ready: v2 only, but a mismatch yesterday
    row(1, 'mismatched', usageKey.call('verify', 'edit', 'success'), 2),
    row(1, 'mismatched', usageKey.mismatch('unused-parameter')),
    // silent: last call 8 days ago, even though it was v2
    row(8, 'quiet', v2, 6),
    // not an account
    row(0, '(none)', usageKey.call('local', 'invalid', 'rejected-locally'), 9),
    row(0, '(shim)', usageKey.upstream('v2'), 11),
    row(0, '(shim)', usageKey.upstream('v1'), 5),
    // older than 35 days: gone
    row(36, 'ancient', v1, 100),
  ];
  const report = buildMigrationReport(rows, { now: NOW, readyAfterDays: 7, rollout });

  it('is ready only with calls in the window, none to v1, no mismatch; silent accounts apart', () => {
    expect(report.accounts.map((a) => [a.account, a.readiness])).toEqual([
      ['ready_co', 'ready'],
      // Not ready, the ones with the oldest last v1 call first (none at all: closest to ready).
      ['mismatched', 'not-ready'],
      ['shadowy', 'not-ready'],
    ]);
    expect(report.silent.map((a) => [a.account, a.readiness, a.reason])).toEqual([['quiet', 'silent', 'no call in the last 7 days']]);
    expect(report.readiness).toEqual({ ready: 1, notReady: 2, silent: 1, allReady: false });
    expect(report.accounts[2]!.reason).toBe('1 call answered by v1 in the last 7 days');
    expect(report.accounts[1]!.reason).toBe('1 mismatch in the last 7 days');
  });

  it('gives first and last v1 call to the hour, calls per day by route, quirks and mismatches', () => {
    const ready = report.accounts[0]!;
    expect(ready).toMatchObject({
      firstV1Call: new Date(H - 10 * DAY_MS).toISOString(),
      lastV1Call: new Date(H - 10 * DAY_MS).toISOString(),
      lastCall: new Date(H - 3 * DAY_MS).toISOString(),
      calls: 9,
      v1Calls: 4,
      recent: { calls: 5, v1Calls: 0, mismatches: 0 },
      quirks: { 'plus-as-space': 2 },
      outcomes: { success: 9 },
    });
    expect(ready.days).toEqual([
      { day: '2026-12-10', v1: 4, v2: 0, local: 0, routes: { v1: 4 } },
      { day: '2026-12-17', v1: 0, v2: 5, local: 0, routes: { v2: 5 } },
    ]);
    expect(report.accounts[1]!.mismatches).toEqual({ 'unused-parameter': 1 });
  });

  it('totals: every kept day (zeros included), by side and route; upstream requests; nothing older than 35 days', () => {
    expect(report.days).toHaveLength(36);
    expect(report.days[0]!.day).toBe('2026-11-15');
    expect(report.days.at(-1)).toEqual({ day: '2026-12-20', v1: 0, v2: 0, local: 9, routes: { local: 9 } });
    expect(report.days.find((d) => d.day === '2026-12-18')).toEqual({ day: '2026-12-18', v1: 1, v2: 0, local: 0, routes: { shadow: 1 } });
    expect(report.totals).toMatchObject({ calls: 30, bySide: { v1: 5, v2: 16, local: 9 }, quirks: { 'plus-as-space': 2 }, mismatches: { 'unused-parameter': 1 } });
    expect(report.days.reduce((n, d) => n + d.v1 + d.v2 + d.local, 0)).toBe(report.totals.calls);
    expect(report).toMatchObject({ v2Calls: 11, v1PassThroughs: 5, retentionDays: 35, readyAfterDays: 7, rollout });
    expect(JSON.stringify(report)).not.toContain('ancient');
  });

  it('N is configurable: with 2 days, the shadow call 2 days ago still counts, the v1 call 10 days ago does not', () => {
    const short = buildMigrationReport(rows, { now: NOW, readyAfterDays: 2, rollout });
    expect(short.accounts.map((a) => [a.account, a.readiness])).toEqual([
      ['mismatched', 'not-ready'],
      ['shadowy', 'not-ready'],
    ]);
    expect(short.silent.map((a) => a.account)).toEqual(['ready_co', 'quiet']);
  });

  it('all ready only when every account is ready, silent ones included; never with no account', () => {
    expect(buildMigrationReport([row(8, 'a', v2), row(1, 'a', v2)], { now: NOW, readyAfterDays: 7, rollout }).readiness.allReady).toBe(true);
    expect(buildMigrationReport([row(8, 'a', v2), row(1, 'a', v2), row(9, 'b', v2)], { now: NOW, readyAfterDays: 7, rollout }).readiness.allReady).toBe(false);
    expect(buildMigrationReport([], { now: NOW, readyAfterDays: 7, rollout }).readiness.allReady).toBe(false);
  });

  it('is not ready before the shim has seen the account for the whole window', () => {
    const r = buildMigrationReport([row(3, 'newco', v2, 5), row(0, 'newco', v2)], { now: NOW, readyAfterDays: 7, rollout });
    expect(r.accounts[0]).toMatchObject({ account: 'newco', readiness: 'not-ready', firstCall: new Date(H - 3 * DAY_MS).toISOString(), reason: 'first call 2026-12-17: no v1 call or mismatch since, but watched for less than 7 days' });
    const exactly = buildMigrationReport([row(7, 'newco', v2)], { now: NOW, readyAfterDays: 7, rollout });
    expect(exactly.accounts[0]!.readiness).toBe('ready');
  });

  it('a shadow read is counted by route but is not a call of the account', () => {
    const r = buildMigrationReport([row(0, 'a', usageKey.call('shadow-read', 'get', 'mismatch')), row(0, 'a', v2)], { now: NOW, readyAfterDays: 7, rollout });
    expect(r.totals.calls).toBe(1);
    expect(r.totals.byRoute).toEqual({ 'shadow-read': 1, v2: 1 });
    expect(r.accounts[0]!.calls).toBe(1);
  });
});
