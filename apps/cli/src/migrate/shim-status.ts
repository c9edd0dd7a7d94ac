/**
 * `caphone migrate status`: reads the v1 shim's migration report (`GET /_shim/metrics`) and lays
 * it out for a terminal. The report is the shim's; this file only checks its shape (naming the
 * field that is wrong) and presents it. The table is data: one entry per column.
 */

export type Readiness = 'ready' | 'not-ready' | 'silent';

export interface StatusDay {
  day: string;
  v1: number;
  v2: number;
  local: number;
}

export interface StatusAccount {
  account: string;
  readiness: Readiness;
  reason: string;
  lastV1Call: string | null;
  lastCall: string;
  calls: number;
  recent: { calls: number; v1Calls: number; mismatches: number };
  days: StatusDay[];
  quirks: Record<string, number>;
  mismatches: Record<string, number>;
}

export interface StatusReport {
  generatedAt: string;
  readyAfterDays: number;
  rollout: { percent: number; mode: string; killSwitch: boolean };
  readiness: { ready: number; notReady: number; silent: number; allReady: boolean };
  accounts: StatusAccount[];
  silent: StatusAccount[];
}

export class ReportShapeError extends Error {}

type Check = (value: unknown, path: string) => void;
const fail = (path: string, rule: string): never => {
  throw new ReportShapeError(`${path} ${rule}`);
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num: Check = (v, p) => void (typeof v === 'number' && Number.isFinite(v) ? 0 : fail(p, 'must be a number'));
const str: Check = (v, p) => void (typeof v === 'string' ? 0 : fail(p, 'must be a string'));
const bool: Check = (v, p) => void (typeof v === 'boolean' ? 0 : fail(p, 'must be true or false'));
const strOrNull: Check = (v, p) => void (v === null || typeof v === 'string' ? 0 : fail(p, 'must be a string or null'));
const oneOf = (...values: string[]): Check => (v, p) => void (values.includes(v as string) ? 0 : fail(p, `must be one of ${values.join(', ')}`));
const counts: Check = (v, p) => {
  if (!isObject(v)) fail(p, 'must be an object of counts');
  for (const [k, n] of Object.entries(v as object)) num(n, `${p}.${k}`);
};
const shape = (fields: Record<string, Check>): Check => (v, p) => {
  if (!isObject(v)) fail(p, 'must be an object');
  for (const [name, check] of Object.entries(fields)) check((v as Record<string, unknown>)[name], `${p}.${name}`);
};
const list = (item: Check): Check => (v, p) => {
  if (!Array.isArray(v)) fail(p, 'must be a list');
  for (const [i, x] of (v as unknown[]).entries()) item(x, `${p}[${i}]`);
};

const day = shape({ day: str, v1: num, v2: num, local: num });
const account = shape({
  account: str,
  readiness: oneOf('ready', 'not-ready', 'silent'),
  reason: str,
  lastV1Call: strOrNull,
  lastCall: str,
  calls: num,
  recent: shape({ calls: num, v1Calls: num, mismatches: num }),
  days: list(day),
  quirks: counts,
  mismatches: counts,
});
const report = shape({
  generatedAt: str,
  readyAfterDays: num,
  rollout: shape({ percent: num, mode: str, killSwitch: bool }),
  readiness: shape({ ready: num, notReady: num, silent: num, allReady: bool }),
  accounts: list(account),
  silent: list(account),
});

/** Checks the shim's answer; throws a ReportShapeError naming the first field that is wrong. */
export function parseStatusReport(value: unknown): StatusReport {
  report(value, 'report');
  return value as StatusReport;
}

const DAY_MS = 86_400_000;
export const SPARK_DAYS = 14;
const BARS = '▁▂▃▄▅▆▇█';

/** Calls per day (every route) over the `SPARK_DAYS` days ending on the report's day, oldest first. */
export function dailyCalls(a: StatusAccount, generatedAt: string, days = SPARK_DAYS): number[] {
  const byDay = new Map(a.days.map((d) => [d.day, d.v1 + d.v2 + d.local]));
  const end = Date.parse(`${generatedAt.slice(0, 10)}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => byDay.get(new Date(end - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10)) ?? 0);
}

/** One character per day, scaled to the busiest day; `·` for a day without calls. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v <= 0 ? '·' : BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * BARS.length) - 1)])).join('');
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((n, c) => n + c, 0);
const top = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, x], [, y]) => y - x)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';
const hour = (iso: string | null) => (iso ? `${iso.slice(0, 13).replace('T', ' ')}:00Z` : '-');

interface Column {
  header: (r: StatusReport) => string;
  value: (a: StatusAccount, r: StatusReport) => string;
  right?: boolean;
}

/** The table, column by column: what `migrate status` prints for each account. */
export const STATUS_COLUMNS: readonly Column[] = [
  { header: () => 'ACCOUNT', value: (a) => a.account },
  { header: () => 'VERDICT', value: (a) => a.readiness },
  { header: () => 'LAST V1 CALL', value: (a) => hour(a.lastV1Call) },
  { header: (r) => `CALLS ${r.readyAfterDays}D`, value: (a) => String(a.recent.calls), right: true },
  { header: (r) => `V1 ${r.readyAfterDays}D`, value: (a) => String(a.recent.v1Calls), right: true },
  { header: (r) => `MISMATCHES ${r.readyAfterDays}D`, value: (a) => String(a.recent.mismatches), right: true },
  { header: () => 'QUIRKS', value: (a) => top(a.quirks) },
  { header: () => `LAST ${SPARK_DAYS} DAYS`, value: (a, r) => sparkline(dailyCalls(a, r.generatedAt)) },
];

function table(rows: readonly StatusAccount[], r: StatusReport): string[] {
  const cells = [STATUS_COLUMNS.map((c) => c.header(r)), ...rows.map((a) => STATUS_COLUMNS.map((c) => c.value(a, r)))];
  const widths = STATUS_COLUMNS.map((_, i) => Math.max(...cells.map((row) => [...row[i]!].length)));
  return cells.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - [...cell].length);
        return STATUS_COLUMNS[i]!.right ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** The human output: the rollout line, the accounts table, the silent ones apart, the verdict. */
export function formatStatus(r: StatusReport): string[] {
  const lines = [
    `rollout ${r.rollout.percent}% (mode ${r.rollout.mode}), kill switch ${r.rollout.killSwitch ? 'ON: every call goes to v1' : 'off'}; ready after ${r.readyAfterDays} days without a v1 call or a mismatch`,
    '',
  ];
  lines.push(...(r.accounts.length ? table(r.accounts, r) : [`no account called in the last ${r.readyAfterDays} days`]));
  if (r.silent.length) lines.push('', `silent: no call in ${r.readyAfterDays} days (never counted as ready)`, ...table(r.silent, r));
  lines.push('', `${r.readiness.ready} ready, ${r.readiness.notReady} not ready, ${r.readiness.silent} silent`);
  return lines;
}

/** The `--json` result: the table's data, with each account's daily calls and sparkline. */
export function statusResult(r: StatusReport, shim: string) {
  const row = (a: StatusAccount) => {
    const daily = dailyCalls(a, r.generatedAt);
    return { account: a.account, readiness: a.readiness, reason: a.reason, lastV1Call: a.lastV1Call, lastCall: a.lastCall, recent: a.recent, calls: a.calls, quirks: a.quirks, mismatches: a.mismatches, quirkCount: sum(a.quirks), daily, sparkline: sparkline(daily) };
  };
  return { shim, generatedAt: r.generatedAt, ready: r.readiness.allReady, readyAfterDays: r.readyAfterDays, rollout: r.rollout, readiness: r.readiness, accounts: r.accounts.map(row), silent: r.silent.map(row) };
}
