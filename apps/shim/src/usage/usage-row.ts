/**
 * The unit the durable counts are made of: how many times one thing happened to one account in one
 * hour. Rows are plain data (JSON on disk, SQLite rows in the Durable Object, an RPC body) and add
 * up: two writers' rows for the same hour, account and key are summed, nothing else.
 */
export interface UsageRow {
  /** Start of the hour, ms since epoch (UTC). */
  hour: number;
  /** The metrics label of the account (the v1 userName, or a parenthesised label such as `(none)`). */
  account: string;
  /** What was counted: see `usageKey`. Fixed words joined by `|`; never a credential. */
  key: string;
  count: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Hourly buckets are kept this long; older ones are dropped by every store. */
export const RETENTION_DAYS = 35;

export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The oldest hour still kept at `now`. */
export function keepFrom(now: number, retentionDays = RETENTION_DAYS): number {
  return hourOf(now) - retentionDays * DAY_MS;
}

/** The keys, built in one place so the report can take them apart again. */
export const usageKey = {
  call: (route: string, action: string, outcome: string) => `call|${route}|${action}|${outcome}`,
  quirk: (quirk: string) => `quirk|${quirk}`,
  mismatch: (mismatch: string) => `mismatch|${mismatch}`,
  /** A request the shim itself sent upstream: `v2` (calls, read-backs, shadow reads) or `v1` (pass-throughs). */
  upstream: (target: 'v2' | 'v1') => `upstream|${target}`,
};

export type ParsedUsageKey =
  | { kind: 'call'; route: string; action: string; outcome: string }
  | { kind: 'quirk'; name: string }
  | { kind: 'mismatch'; name: string }
  | { kind: 'upstream'; name: string }
  | { kind: 'unknown' };

export function parseUsageKey(key: string): ParsedUsageKey {
  const [kind, a = '', b = '', c = ''] = key.split('|');
  if (kind === 'call') return { kind, route: a, action: b, outcome: c };
  if (kind === 'quirk' || kind === 'mismatch' || kind === 'upstream') return { kind, name: a };
  return { kind: 'unknown' };
}

function rowId(hour: number, account: string, key: string): string {
  return JSON.stringify([hour, account, key]);
}

/**
 * Counts added up in memory, in the order they were first seen: a batch waiting to be sent, a
 * process's own totals before they go to disk, or a merge of several writers' files.
 */
export class UsageTally {
  readonly #rows = new Map<string, UsageRow>();

  get size(): number {
    return this.#rows.size;
  }

  add(row: UsageRow): void {
    if (!(row.count > 0)) return;
    const id = rowId(row.hour, row.account, row.key);
    const existing = this.#rows.get(id);
    if (existing) existing.count += row.count;
    else this.#rows.set(id, { ...row });
  }

  addAll(rows: Iterable<UsageRow>): void {
    for (const row of rows) this.add(row);
  }

  /** Drops every hour before `from`. */
  prune(from: number): void {
    for (const [id, row] of this.#rows) if (row.hour < from) this.#rows.delete(id);
  }

  rows(from = -Infinity): UsageRow[] {
    return [...this.#rows.values()].filter((r) => r.hour >= from).map((r) => ({ ...r }));
  }

  /** Hands the rows over and starts empty. */
  drain(): UsageRow[] {
    const rows = [...this.#rows.values()];
    this.#rows.clear();
    return rows;
  }
}

/** Checks rows that arrive from outside (a file, a request body) before they are added up. */
export function isUsageRow(value: unknown): value is UsageRow {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(r.hour) &&
    (r.hour as number) % HOUR_MS === 0 &&
    typeof r.account === 'string' &&
    typeof r.key === 'string' &&
    Number.isSafeInteger(r.count) &&
    (r.count as number) > 0
  );
}
