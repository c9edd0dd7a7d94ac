import type { PlainRequest } from '@cloudagent-phone/core';
import type { Transport, TransportResponse } from './transport.js';
import { abortedError } from './transport-error.js';

/**
 * One attempt's signal: fires on its own timeout (reason: a TimeoutError, which transports report as
 * `timeout`) or when the caller's signal fires (reason: the caller's, reported as `aborted`).
 * `dispose` clears the timer and the listener, so a finished attempt leaves nothing behind.
 *
 * `idle`: controllers of earlier attempts whose signal never fired, for a client whose transport
 * releases its signals (`capabilities.releasesSignal`): one is used again instead of a new one
 * (creating an AbortSignal cost more than the rest of an attempt's bookkeeping in a bulk run), and
 * this one goes back when it is disposed unfired. A signal that fired is never given out again.
 */
export function attemptSignal(timeoutMs: number, parent?: AbortSignal, idle?: AbortController[]): { signal: AbortSignal; dispose: () => void } {
  const controller = idle?.pop() ?? new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      // No cap needed: an attempt takes one before it gives one back, so the list never holds more
      // than the most attempts that were ever in flight at once.
      if (idle && !controller.signal.aborted) idle.push(controller);
    },
  };
}

/**
 * How long a transport gets, after its signal fired, to reject on its own. Every built-in transport
 * rejects within a few microtasks, with the more exact `delivery` it knows (node:http knows whether
 * it had connected), so its answer is preferred to the client's own.
 */
const ABORT_GRACE_MS = 25;

/**
 * `transport.send`, bounded by `signal`: if the transport ignores the signal (a custom one), the
 * caller still gets a `timeout`/`aborted` TransportError (`maybe_sent`: the request was handed over)
 * instead of waiting for ever. The request itself is the transport's to cancel.
 */
export function sendWithin(transport: Transport, request: PlainRequest, signal: AbortSignal): Promise<TransportResponse> {
  // Promise.resolve: a custom transport may return a plain value; a synchronous throw propagates as is.
  const sending = Promise.resolve(transport.send(request, signal));
  return new Promise<TransportResponse>((resolve, reject) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      grace = setTimeout(() => reject(abortedError(signal, 'maybe_sent')), ABORT_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      if (grace !== undefined) clearTimeout(grace);
    };
    sending.then(
      (response) => {
        done();
        resolve(response);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves with `promise`, or rejects with the signal's reason if it fires first (the work goes on). */
export function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
