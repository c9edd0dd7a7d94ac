import { parseRetryAfter } from '@cloudagent-phone/core';
import { abortableSleep, type Transport } from '@cloudagent-phone/transport';

/** A 429 without a usable Retry-After pauses the job this long: CloudAgent's windows are a minute. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;

/**
 * Spaces requests evenly: at most `perSecond` a second, across every concurrent sender. Evenly
 * spaced rather than bursty, because CloudAgent's limits are per account and a burst is what trips
 * a 429. 0 means no limit. A pause (CloudAgent answered 429) holds every sender until it ends.
 */
export class RequestPacer {
  private next = 0;
  private pausedUntil = 0;
  constructor(
    readonly perSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Books the next slot at or after `now` (ms) and says how long to wait for it. */
  reserve(now: number): number {
    const at = Math.max(now, this.next, this.pausedUntil);
    if (this.perSecond > 0) this.next = at + 1000 / this.perSecond;
    return at - now;
  }

  /** Holds every request for `ms` from now (a pause already longer stays as it is). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock() + ms);
  }

  /** Milliseconds the pause still lasts (0: not paused). */
  pausedFor(): number {
    return Math.max(0, this.pausedUntil - this.clock());
  }

  /** Resolves when the caller may send; rejects with the signal's reason if it aborts first. */
  async take(signal?: AbortSignal): Promise<void> {
    if (this.perSecond <= 0 && this.pausedUntil === 0) return;
    const wait = this.reserve(this.clock());
    if (wait > 0) await abortableSleep(wait, signal);
  }
}

/**
 * A budget shared with other callers (the team's rate on the edge): `book()` books one request
 * and resolves with 0, or resolves with how many ms to wait before asking again. It is asked
 * before every request a job makes, so a job never takes more than the budget allows it.
 */
export interface CallBudget {
  book(): Promise<number>;
}

/** Waits for the pacer's next slot (and any pause), then for the budget to book one request. */
export async function waitForTurn(limiter: RequestPacer, budget: CallBudget | undefined, signal?: AbortSignal): Promise<void> {
  await limiter.take(signal);
  if (budget) for (let wait = await budget.book(); wait > 0; wait = await budget.book()) await abortableSleep(wait, signal);
}

export interface JobLimits {
  /** The shared budget every request is booked in, after the job's own pace. */
  budget?: CallBudget;
  /** A 429 pauses every request through this transport for its `Retry-After` (a job's "paused" state). */
  pauseOnRateLimit?: boolean;
  /**
   * Says whether this request was booked already (its pace and budget waited for before the client
   * was called, outside the client's per-attempt timeout): then it leaves at once. See jobTransport.
   */
  prebooked?: () => boolean;
}

/**
 * Applies the limits at the transport, so they cover every request a run makes: the rows, the
 * client's own retries, read-backs and token requests alike. In order: the pace (and any pause),
 * then the shared budget. With none of them it is the transport itself.
 */
export function withRateLimit(inner: Transport, limiter: RequestPacer, abortedError: (signal: AbortSignal) => Error, limits: JobLimits = {}): Transport {
  const { budget, pauseOnRateLimit = false, prebooked } = limits;
  if (limiter.perSecond <= 0 && !budget && !pauseOnRateLimit) return inner;
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    async send(request, signal) {
      if (!prebooked?.()) {
        try {
          await waitForTurn(limiter, budget, signal);
        } catch {
          throw abortedError(signal);
        }
      }
      const response = await inner.send(request, signal);
      if (pauseOnRateLimit && response.status === 429) limiter.pause(parseRetryAfter(response.headers['retry-after'], Date.now()) ?? DEFAULT_RATE_LIMIT_PAUSE_MS);
      return response;
    },
  };
}
