import { MAX_USERNAME_LENGTH } from '@cloudagent-phone/core';
import type { ShimQuirk, TranslationMismatch } from './quirks.js';

export interface CallLabels {
  /**
   * The v1 userName (an account name, not a secret) once CloudAgent has accepted it (or the operator
   * configured it); `(unverified)` for any other name, `(none)` when missing, `(other)` past the cap.
   */
  account: string;
  action: string;
  /** `v2`, `verify`, `v1`, `shadow`, `v1-fallback`, `local` (answered before routing), `unavailable`. */
  route: string;
  outcome: string;
}

export interface MetricsSnapshot {
  since: string;
  calls: (CallLabels & { count: number })[];
  quirks: (Pick<CallLabels, 'account'> & { quirk: ShimQuirk; count: number })[];
  mismatches: (Pick<CallLabels, 'account'> & { mismatch: TranslationMismatch; count: number })[];
  v2Calls: number;
  v1PassThroughs: number;
  totals: { calls: number; quirks: Record<string, number>; mismatches: Record<string, number> };
}

/** Past this many distinct accounts, new ones are counted as `(other)`: the map must not grow without end. */
export const MAX_ACCOUNTS = 5_000;
/** Longest account label; core's user-name bound already keeps real names under it. */
export const MAX_LABEL_LENGTH = MAX_USERNAME_LENGTH;
/** The label of every name CloudAgent has not accepted: junk names share one counter. */
export const UNVERIFIED = '(unverified)';

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * In-memory counters, per process (per isolate on Workers): who still calls v1, how, and what came
 * of it. Labels never hold a credential: the account is the userName, the rest are fixed words.
 */
export class ShimMetrics {
  readonly #since: number;
  readonly #accounts = new Set<string>();
  readonly #calls = new Map<string, number>();
  readonly #quirks = new Map<string, number>();
  readonly #mismatches = new Map<string, number>();
  #v2Calls = 0;
  #v1PassThroughs = 0;

  constructor(now: number = Date.now(), configured: Iterable<string> = []) {
    this.#since = now;
    for (const name of configured) this.verify(name);
  }

  /**
   * Marks a user name as a real account: CloudAgent answered a call for it with anything but a
   * refusal of the credentials (or the operator named it). Only such names become labels, so a
   * stream of junk names cannot fill the label set or push real accounts into `(other)`.
   */
  verify(userName: string | undefined): string {
    if (userName === undefined || userName.trim() === '') return '(none)';
    if (this.#accounts.has(userName)) return userName;
    if (userName.length > MAX_LABEL_LENGTH) return UNVERIFIED;
    if (this.#accounts.size >= MAX_ACCOUNTS) return '(other)';
    this.#accounts.add(userName);
    return userName;
  }

  /** The label a call is counted under (see CallLabels.account). */
  account(userName: string | undefined): string {
    if (userName === undefined || userName.trim() === '') return '(none)';
    return this.#accounts.has(userName) ? userName : UNVERIFIED;
  }

  recordCall(labels: CallLabels): void {
    bump(this.#calls, JSON.stringify([labels.account, labels.action, labels.route, labels.outcome]));
  }

  recordQuirks(account: string, quirks: readonly ShimQuirk[]): void {
    for (const q of quirks) bump(this.#quirks, JSON.stringify([account, q]));
  }

  recordMismatches(account: string, mismatches: readonly TranslationMismatch[]): void {
    for (const m of mismatches) bump(this.#mismatches, JSON.stringify([account, m]));
  }

  recordV2Call(): void {
    this.#v2Calls++;
  }

  recordPassThrough(): void {
    this.#v1PassThroughs++;
  }

  snapshot(): MetricsSnapshot {
    const calls = [...this.#calls].map(([k, count]) => {
      const [account, action, route, outcome] = JSON.parse(k) as string[];
      return { account: account!, action: action!, route: route!, outcome: outcome!, count };
    });
    const quirks = [...this.#quirks].map(([k, count]) => {
      const [account, quirk] = JSON.parse(k) as [string, ShimQuirk];
      return { account, quirk, count };
    });
    const mismatches = [...this.#mismatches].map(([k, count]) => {
      const [account, mismatch] = JSON.parse(k) as [string, TranslationMismatch];
      return { account, mismatch, count };
    });
    const sum = <T extends { count: number }>(rows: T[], key: (r: T) => string) => {
      const out: Record<string, number> = Object.create(null);
      for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + r.count;
      return out;
    };
    return {
      since: new Date(this.#since).toISOString(),
      calls,
      quirks,
      mismatches,
      v2Calls: this.#v2Calls,
      v1PassThroughs: this.#v1PassThroughs,
      totals: {
        calls: calls.reduce((n, c) => n + c.count, 0),
        quirks: sum(quirks, (r) => r.quirk),
        mismatches: sum(mismatches, (r) => r.mismatch),
      },
    };
  }
}
