import type { PlainRequest } from '@cloudagent-phone/core';
import type { Transport, TransportResponse } from './transport.js';
import { abortedError } from './transport-error.js';

/**
 * How long a transport gets, after its signal fired, to reject on its own. Every built-in transport
 * rejects within a few microtasks, with the more exact `delivery` it knows (node:http knows whether
 * it had connected), so its answer is preferred to the client's own.
 */
const ABORT_GRACE_MS = 25;

/**
 * One attempt: `transport.send(request, signal)` with a signal of its own that fires on the
 * attempt's timeout (reason: a TimeoutError, which transports report as `timeout`) or when
 * `parent` fires (reason: the parent's, reported as `aborted`). If the transport ignores the
 * signal (a custom one), the caller still gets a `timeout`/`aborted` TransportError (`maybe_sent`:
 * the request was handed over) after a short grace instead of waiting for ever; the request itself
 * is the transport's to cancel. Once it settles, nothing is left behind: no timer, no listener.
 *
 * The attempt fires its own signal, so it needs no listener on it: only a parent gets one.
 *
 * `idle`: controllers of earlier attempts whose signal never fired, for a client whose transport
 * releases its signals (`capabilities.releasesSignal`): one is used again instead of a new one
 * (creating an AbortSignal cost more than the rest of an attempt's bookkeeping in a bulk run), and
 * this one goes back when the attempt settles unfired. A signal that fired is never given out again.
 * No cap needed: an attempt takes one before it gives one back, so the list never holds more than
 * the most attempts that were ever in flight at once.
 */
export function sendAttempt(transport: Transport, request: PlainRequest, timeoutMs: number, parent?: AbortSignal, idle?: AbortController[]): Promise<TransportResponse> {
  const controller = idle?.pop() ?? new AbortController();
  const signal = controller.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let grace: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  return new Promise<TransportResponse>((resolve, reject) => {
    const settle = (ok: boolean, value: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      parent?.removeEventListener('abort', onParentAbort);
      if (idle && !signal.aborted) idle.push(controller);
      if (ok) resolve(value as TransportResponse);
      else reject(value);
    };
    const abort = (reason: unknown) => {
      if (signal.aborted) return;
      controller.abort(reason);
      // After the transport's own listeners ran: its rejection, if it comes now, wins the race.
      grace = setTimeout(() => settle(false, abortedError(signal, 'maybe_sent')), ABORT_GRACE_MS);
    };
    const onParentAbort = () => abort(parent?.reason);
    if (parent?.aborted) abort(parent.reason);
    else parent?.addEventListener('abort', onParentAbort, { once: true });
    timer = setTimeout(() => abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    try {
      // Promise.resolve: a custom transport may return a plain value (or throw: caught below).
      Promise.resolve(transport.send(request, signal)).then(
        (response) => settle(true, response),
        (error: unknown) => settle(false, error),
      );
    } catch (error) {
      settle(false, error);
    }
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
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}
