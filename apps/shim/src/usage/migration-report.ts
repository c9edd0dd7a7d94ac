import { DAY_MS, RETENTION_DAYS, hourOf, keepFrom, parseUsageKey, type UsageRow } from './usage-row.js';

/** Which side of the migration answered a call, by route. */
export const ROUTE_SIDES = {
  /** Answered by the legacy host: the account still depends on v1. */
  v1: ['v1', 'shadow'],
  /** Fulfilled through v2. */
  v2: ['v2', 'verify', 'v1-fallback'],
  /** Answered by the shim itself (refused before any call, or the kill switch with no legacy host). */
  local: ['local', 'unavailable'],
} as const;

/** The shim's own reads after a shadow call: counted by route, but not calls a caller made. */
const SIDE_EFFECT_ROUTES = new Set(['shadow-read']);

export type Side = keyof typeof ROUTE_SIDES;
export type Readiness = 'ready' | 'not-ready' | 'silent';

function sideOf(route: string): Side | undefined {
  for (const side of Object.keys(ROUTE_SIDES) as Side[]) if ((ROUTE_SIDES[side] as readonly string[]).includes(route)) return side;
  return undefined;
}

export interface DayCounts {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  v1: number;
  v2: number;
  local: number;
  /** Calls by route (`v1`, `v2`, `verify`, `shadow`, `v1-fallback`, `local`, …), this day. */
  routes: Record<string, number>;
}

export interface AccountReport {
  account: string;
  readiness: Readiness;
  /** Why, in words: what an operator would check. */
  reason: string;
  /** Start of the hour of the first / last call answered by v1 in the kept window (hourly buckets); null if none. */
  firstV1Call: string | null;
  lastV1Call: string | null;
  /** Start of the hour of the first and the last call of any kind in the kept window. */
  firstCall: string;
  lastCall: string;
  /** Calls in the kept window, and in the readiness window (the last `readyAfterDays` days). */
  calls: number;
  v1Calls: number;
  recent: { calls: number; v1Calls: number; mismatches: number };
  /** Days with at least one call, oldest first. */
  days: DayCounts[];
  outcomes: Record<string, number>;
  quirks: Record<string, number>;
  mismatches: Record<string, number>;
}

export interface MigrationReport {
  generatedAt: string;
  /** Start of the oldest hour kept. */
  since: string;
  retentionDays: number;
  readyAfterDays: number;
  rollout: { percent: number; mode: string; killSwitch: boolean };
  /** Requests the shim itself sent: to v2 (calls, read-backs, shadow reads) and to the legacy host. */
  v2Calls: number;
  v1PassThroughs: number;
  totals: {
    calls: number;
    bySide: Record<Side, number>;
    byRoute: Record<string, number>;
    outcomes: Record<string, number>;
    quirks: Record<string, number>;
    mismatches: Record<string, number>;
  };
  /** Every day of the kept window, oldest first, zeros included: the v1-against-v2 chart. */
  days: DayCounts[];
  readiness: { ready: number; notReady: number; silent: number; allReady: boolean };
  /** Accounts that called in the readiness window, ready ones first. */
  accounts: AccountReport[];
  /** Accounts seen in the kept window but not in the readiness window: never counted as ready. */
  silent: AccountReport[];
  /** The flat counts, as before the durable store (kept for scrapers). */
  calls: { account: string; action: string; route: string; outcome: string; count: number }[];
  quirks: { account: string; quirk: string; count: number }[];
  mismatches: { account: string; mismatch: string; count: number }[];
}

export interface ReportOptions {
  now: number;
  readyAfterDays: number;
  rollout: MigrationReport['rollout'];
  retentionDays?: number;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const bump = (record: Record<string, number>, key: string, by: number) => void (record[key] = (record[key] ?? 0) + by);
/** Parenthesised labels (`(none)`, `(other)`, `(shim)`) are counted but are not accounts. */
export const isAccountLabel = (account: string) => !account.startsWith('(');

function emptyDay(day: string): DayCounts {
  return { day, v1: 0, v2: 0, local: 0, routes: {} };
}

function addToDay(days: Map<string, DayCounts>, day: string, route: string, count: number) {
  let d = days.get(day);
  if (!d) days.set(day, (d = emptyDay(day)));
  bump(d.routes, route, count);
  const side = sideOf(route);
  if (side) d[side] += count;
}

interface AccountAcc {
  days: Map<string, DayCounts>;
  firstV1: number;
  lastV1: number;
  firstCall: number;
  lastCall: number;
  calls: number;
  v1Calls: number;
  recent: { calls: number; v1Calls: number; mismatches: number };
  outcomes: Record<string, number>;
  quirks: Record<string, number>;
  mismatches: Record<string, number>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The control room's one view of the counts: what `/_shim/metrics` returns, the dashboard draws and
 * `caphone migrate status` prints. Pure: rows in, report out.
 *
 * Ready to cut over: the account called in the last `readyAfterDays` days, none of those calls was
 * answered by v1 (routes v1, shadow) or showed a mismatch, and the shim has seen it for at least that
 * long (an account first seen yesterday has not shown N quiet days yet). Silent: no call in that window (it
 * may have gone quiet, or be calling somewhere else): shown apart, never ready.
 */
export function buildMigrationReport(rows: readonly UsageRow[], options: ReportOptions): MigrationReport {
  const { now, readyAfterDays } = options;
  const retentionDays = options.retentionDays ?? RETENTION_DAYS;
  const from = keepFrom(now, retentionDays);
  const windowFrom = hourOf(now) - readyAfterDays * DAY_MS;
  const days = new Map<string, DayCounts>();
  for (let t = from; t <= now; t += DAY_MS) days.set(dayOf(t), emptyDay(dayOf(t)));
  days.set(dayOf(now), days.get(dayOf(now)) ?? emptyDay(dayOf(now)));

  const totals: MigrationReport['totals'] = { calls: 0, bySide: { v1: 0, v2: 0, local: 0 }, byRoute: {}, outcomes: {}, quirks: {}, mismatches: {} };
  const flat = { calls: new Map<string, MigrationReport['calls'][number]>(), quirks: new Map<string, MigrationReport['quirks'][number]>(), mismatches: new Map<string, MigrationReport['mismatches'][number]>() };
  const upstream = { v2: 0, v1: 0 };
  const accounts = new Map<string, AccountAcc>();
  const accountOf = (name: string): AccountAcc => {
    let a = accounts.get(name);
    if (!a) {
      a = { days: new Map(), firstV1: Infinity, lastV1: -Infinity, firstCall: Infinity, lastCall: -Infinity, calls: 0, v1Calls: 0, recent: { calls: 0, v1Calls: 0, mismatches: 0 }, outcomes: {}, quirks: {}, mismatches: {} };
      accounts.set(name, a);
    }
    return a;
  };

  const ordered = rows.filter((r) => r.hour >= from).sort((a, b) => a.hour - b.hour);
  for (const row of ordered) {
    const key = parseUsageKey(row.key);
    const recent = row.hour >= windowFrom;
    const day = dayOf(row.hour);
    if (key.kind === 'upstream') {
      if (key.name === 'v2' || key.name === 'v1') upstream[key.name] += row.count;
      continue;
    }
    if (key.kind === 'unknown') continue;
    const account = isAccountLabel(row.account) ? accountOf(row.account) : undefined;
    if (key.kind === 'quirk' || key.kind === 'mismatch') {
      const flatKey = JSON.stringify([row.account, key.name]);
      if (key.kind === 'quirk') {
        bump(totals.quirks, key.name, row.count);
        const f = flat.quirks.get(flatKey) ?? flat.quirks.set(flatKey, { account: row.account, quirk: key.name, count: 0 }).get(flatKey)!;
        f.count += row.count;
        if (account) bump(account.quirks, key.name, row.count);
      } else {
        bump(totals.mismatches, key.name, row.count);
        const f = flat.mismatches.get(flatKey) ?? flat.mismatches.set(flatKey, { account: row.account, mismatch: key.name, count: 0 }).get(flatKey)!;
        f.count += row.count;
        if (account) {
          bump(account.mismatches, key.name, row.count);
          if (recent) account.recent.mismatches += row.count;
        }
      }
      continue;
    }
    const flatKey = JSON.stringify([row.account, key.action, key.route, key.outcome]);
    const f = flat.calls.get(flatKey) ?? flat.calls.set(flatKey, { account: row.account, action: key.action, route: key.route, outcome: key.outcome, count: 0 }).get(flatKey)!;
    f.count += row.count;
    bump(totals.byRoute, key.route, row.count);
    if (SIDE_EFFECT_ROUTES.has(key.route)) continue;
    totals.calls += row.count;
    bump(totals.outcomes, key.outcome, row.count);
    const side = sideOf(key.route);
    if (side) totals.bySide[side] += row.count;
    addToDay(days, day, key.route, row.count);
    if (!account) continue;
    addToDay(account.days, day, key.route, row.count);
    bump(account.outcomes, key.outcome, row.count);
    account.calls += row.count;
    account.lastCall = Math.max(account.lastCall, row.hour);
    account.firstCall = Math.min(account.firstCall, row.hour);
    if (recent) account.recent.calls += row.count;
    if (side === 'v1') {
      account.v1Calls += row.count;
      account.firstV1 = Math.min(account.firstV1, row.hour);
      account.lastV1 = Math.max(account.lastV1, row.hour);
      if (recent) account.recent.v1Calls += row.count;
    }
  }

  const window = `the last ${plural(readyAfterDays, 'day')}`;
  const reports: AccountReport[] = [];
  for (const [name, a] of accounts) {
    // Only quirks or mismatches and no call (a shadow read's mismatch of an account whose call
    // aged out): nothing to judge.
    if (a.lastCall === -Infinity) continue;
    let readiness: Readiness;
    let reason: string;
    if (a.recent.calls === 0) {
      readiness = 'silent';
      reason = `no call in ${window}`;
    } else if (a.recent.v1Calls > 0 || a.recent.mismatches > 0) {
      readiness = 'not-ready';
      reason = [a.recent.v1Calls > 0 ? `${plural(a.recent.v1Calls, 'call')} answered by v1` : '', a.recent.mismatches > 0 ? plural(a.recent.mismatches, 'mismatch').replace(/hs$/, 'hes') : '']
        .filter(Boolean)
        .join(' and ')
        .concat(` in ${window}`);
    } else if (a.firstCall > windowFrom) {
      // Seen for less than the window: what it did before the shim saw it is unknown.
      readiness = 'not-ready';
      reason = `first call ${dayOf(a.firstCall)}: no v1 call or mismatch since, but watched for less than ${window.replace('the last ', '')}`;
    } else {
      readiness = 'ready';
      reason = `${plural(a.recent.calls, 'call')} in ${window}, none answered by v1, no mismatch`;
    }
    reports.push({
      account: name,
      readiness,
      reason,
      firstV1Call: a.firstV1 === Infinity ? null : iso(a.firstV1),
      lastV1Call: a.lastV1 === -Infinity ? null : iso(a.lastV1),
      firstCall: iso(a.firstCall),
      lastCall: iso(a.lastCall),
      calls: a.calls,
      v1Calls: a.v1Calls,
      recent: a.recent,
      days: [...a.days.values()].sort((x, y) => x.day.localeCompare(y.day)),
      outcomes: a.outcomes,
      quirks: a.quirks,
      mismatches: a.mismatches,
    });
  }
  const rank: Record<Readiness, number> = { ready: 0, 'not-ready': 1, silent: 2 };
  // Ready first; then the accounts whose last v1 call is oldest (closest to ready); names break ties.
  reports.sort((x, y) => rank[x.readiness] - rank[y.readiness] || (x.lastV1Call ?? '').localeCompare(y.lastV1Call ?? '') || x.account.localeCompare(y.account));
  const active = reports.filter((r) => r.readiness !== 'silent');
  // Silent: the most recently heard from first (the likeliest to be calling somewhere else now).
  const silent = reports.filter((r) => r.readiness === 'silent').sort((x, y) => y.lastCall.localeCompare(x.lastCall) || x.account.localeCompare(y.account));
  const ready = active.filter((r) => r.readiness === 'ready').length;

  return {
    generatedAt: iso(now),
    since: iso(from),
    retentionDays,
    readyAfterDays,
    rollout: options.rollout,
    v2Calls: upstream.v2,
    v1PassThroughs: upstream.v1,
    totals,
    days: [...days.values()].sort((x, y) => x.day.localeCompare(y.day)),
    readiness: { ready, notReady: active.length - ready, silent: silent.length, allReady: reports.length > 0 && ready === reports.length },
    accounts: active,
    silent,
    calls: [...flat.calls.values()],
    quirks: [...flat.quirks.values()],
    mismatches: [...flat.mismatches.values()],
  };
}

