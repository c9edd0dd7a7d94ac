import type { Transport } from '@cloudagent-phone/transport';
import { RequestPacer, withRateLimit, type CallBudget } from './request-pacer.js';

/** A job's rate when neither the caller nor the operator sets one: rows (requests) a minute. */
export const DEFAULT_JOB_RATE_PER_MINUTE = 30;
/** Rows in flight at once when the caller sets none. */
export const DEFAULT_JOB_CONCURRENCY = 4;
/** The most rows in flight one job may ask for: more only queues behind its rate. */
export const MAX_JOB_CONCURRENCY = 16;

/** A job's own pace: requests a minute and rows in flight. */
export interface JobPace {
  ratePerMinute: number;
  concurrency: number;
}

/** The share of a team's rate its bulk jobs may use together: the rest is for interactive calls. */
export function jobShareOf(teamLimitPerMinute: number): number {
  return Math.max(1, Math.floor(teamLimitPerMinute / 2));
}

/**
 * A job's pace from what the caller asked (query strings) and the team's rate: the rate is capped
 * at the team's job share, so one job cannot ask for more than jobs may take. Issues name the field.
 */
export function jobPaceFrom(
  asked: { ratePerMinute?: string | undefined; concurrency?: string | undefined },
  teamLimitPerMinute: number,
  defaultRatePerMinute: number = DEFAULT_JOB_RATE_PER_MINUTE,
): { ok: true; pace: JobPace } | { ok: false; issues: { field: string; rule: string; message: string }[] } {
  const issues: { field: string; rule: string; message: string }[] = [];
  const whole = (field: string, text: string | undefined, max: number): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (/^\d+$/.test(text) && value >= 1 && value <= max) return value;
    issues.push({ field, rule: 'range', message: `${field} must be a whole number from 1 to ${max} (got "${text.slice(0, 20)}")` });
    return undefined;
  };
  const share = jobShareOf(teamLimitPerMinute);
  const rate = whole('ratePerMinute', asked.ratePerMinute, 100_000);
  const concurrency = whole('concurrency', asked.concurrency, MAX_JOB_CONCURRENCY);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, pace: { ratePerMinute: Math.min(rate ?? defaultRatePerMinute, share), concurrency: concurrency ?? DEFAULT_JOB_CONCURRENCY } };
}

/** What a team limiter answers (the edge's sliding log). */
export interface TeamDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Books a job's requests in the team's limiter, admitted only while the team's window holds fewer
 * than its job share: jobs together never take more than half the team's rate, and interactive
 * calls (admitted up to the full rate) always find the other half.
 */
export function teamShareBudget(take: (limit: number, ceiling: number) => Promise<TeamDecision>, teamLimitPerMinute: number): CallBudget {
  const share = jobShareOf(teamLimitPerMinute);
  return {
    async book() {
      const decision = await take(teamLimitPerMinute, share);
      return decision.allowed ? 0 : Math.max(1, decision.retryAfterSeconds) * 1000;
    },
  };
}

/**
 * The transport a job's rows go through: its own pace (a pacer, also paused by a 429), then the
 * team's budget. The pacer is the one to give JobRunner, so its state can say `paused`.
 */
export function jobTransport(inner: Transport, pace: JobPace, budget: CallBudget | undefined, abortedError: (signal: AbortSignal) => Error): { transport: Transport; pacer: RequestPacer } {
  const pacer = new RequestPacer(pace.ratePerMinute / 60);
  return { pacer, transport: withRateLimit(inner, pacer, abortedError, { pauseOnRateLimit: true, ...(budget ? { budget } : {}) }) };
}
