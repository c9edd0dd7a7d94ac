import { abortableSleep, type Transport } from '@cloudagent-phone/transport';
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
  /** How many of the requests asked for were admitted. Default 1 when allowed. */
  granted?: number;
}

/** A budget that may hold bookings made ahead (teamShareBudget): a row can take one without waiting. */
export interface JobBudget extends CallBudget {
  /** Books one request from what an earlier `book` took ahead, without asking anyone; false when nothing is held. */
  bookHeld?(): boolean;
}

/** Waits for the budget to book one request. */
async function waitForBudget(budget: CallBudget, signal?: AbortSignal): Promise<void> {
  for (let wait = await budget.book(); wait > 0; wait = await budget.book()) await abortableSleep(wait, signal);
}

/** A booking never holds more than this many requests ahead. */
const MOST_BOOKED_AHEAD = 25;

/**
 * Books a job's requests in the team's limiter, admitted only while the team's window holds fewer
 * than its job share: jobs together never take more than half the team's rate, and interactive
 * calls (admitted up to the full rate) always find the other half. A fast job books up to a second
 * of its own rate in one call (`bookAhead`), so the limiter is asked once a second, not per request;
 * what it booked and did not use still counts against the team for the window (the safe side).
 */
export function teamShareBudget(
  take: (limit: number, ceiling: number, count: number) => Promise<TeamDecision>,
  teamLimitPerMinute: number,
  ratePerMinute = 60,
): Required<JobBudget> {
  const share = jobShareOf(teamLimitPerMinute);
  const bookAhead = Math.max(1, Math.min(MOST_BOOKED_AHEAD, Math.floor(ratePerMinute / 60)));
  let held = 0;
  const bookHeld = () => {
    if (held === 0) return false;
    held -= 1;
    return true;
  };
  return {
    bookHeld,
    async book() {
      if (bookHeld()) return 0;
      const decision = await take(teamLimitPerMinute, share, bookAhead);
      if (!decision.allowed) return Math.max(1, decision.retryAfterSeconds) * 1000;
      held = Math.max(0, (decision.granted ?? 1) - 1);
      return 0;
    },
  };
}

/** What a job's rows go through: see jobTransport. */
export interface JobTransport {
  transport: Transport;
  /** The pacer (also paused by a 429): the one to give JobRunner, so its state can say `paused`. */
  pacer: RequestPacer;
  /**
   * Waits for a row's turn (the job's pace, any pause, the team's budget) before the row's client
   * call starts, and books it: the row's first request then leaves at once. JobRunner's `admit`.
   * Undefined when the row may go at once (no wait for the pace, a booking held: JobBudget's
   * `bookHeld`): no promise.
   */
  admit: (signal?: AbortSignal) => Promise<void> | undefined;
}

/**
 * The transport a job's rows go through: its own pace (a pacer, also paused by a 429), then the
 * team's budget. A row waits for its turn in `admit`, before the client is called, so the wait
 * never eats into the client's per-attempt timeout (a request that timed out waiting would be a
 * row reported "not sent" for no reason); the requests a row makes beyond its first (a read-back, a
 * retry, a token) wait in the transport. `abortedError` should say "not sent" (a TransportError
 * with delivery `not_sent`): nothing left while waiting.
 */
export function jobTransport(inner: Transport, pace: JobPace, budget: JobBudget | undefined, abortedError: (signal: AbortSignal) => Error): JobTransport {
  const pacer = new RequestPacer(pace.ratePerMinute / 60);
  let booked = 0;
  const prebooked = () => {
    if (booked === 0) return false;
    booked -= 1;
    return true;
  };
  return {
    pacer,
    transport: withRateLimit(inner, pacer, abortedError, { pauseOnRateLimit: true, prebooked, ...(budget ? { budget } : {}) }),
    admit(signal) {
      // At most one booked ahead per row in flight: a row that ends without sending leaves no burst.
      const admitted = () => void (booked = Math.min(booked + 1, pace.concurrency));
      // The pacer's own clock (its default): performance.now. A slot less than a millisecond away
      // is taken now: a timer cannot wait less (it would wait a whole millisecond), and the
      // pacer's slots still advance, so the job's rate holds (a row may go under 1 ms early).
      const wait = pacer.reserve(performance.now());
      if (wait < 1 && (!budget || budget.bookHeld?.())) return admitted();
      return (async () => {
        if (wait >= 1) await abortableSleep(wait, signal);
        if (budget) await waitForBudget(budget, signal);
        admitted();
      })();
    },
  };
}
