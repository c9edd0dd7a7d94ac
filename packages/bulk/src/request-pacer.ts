import { abortableSleep, type Transport } from '@cloudagent-phone/transport';

/**
 * Spaces requests evenly: at most `perSecond` a second, across every concurrent sender. Evenly
 * spaced rather than bursty, because CloudAgent's limits are per account and a burst is what trips
 * a 429. 0 means no limit.
 */
export class RequestPacer {
  private next = 0;
  constructor(readonly perSecond: number) {}

  /** Books the next slot at or after `now` (ms) and says how long to wait for it. */
  reserve(now: number): number {
    if (this.perSecond <= 0) return 0;
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    return at - now;
  }

  /** Resolves when the caller may send; rejects with the signal's reason if it aborts first. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(performance.now());
    if (wait > 0) await abortableSleep(wait, signal);
  }
}

/**
 * Applies the limit at the transport, so it covers every request a run makes: the rows, the
 * client's own retries of a 429, read-backs and token requests alike.
 */
export function withRateLimit(inner: Transport, limiter: RequestPacer, abortedError: (signal: AbortSignal) => Error): Transport {
  if (limiter.perSecond <= 0) return inner;
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    async send(request, signal) {
      try {
        await limiter.take(signal);
      } catch {
        throw abortedError(signal);
      }
      return inner.send(request, signal);
    },
  };
}
