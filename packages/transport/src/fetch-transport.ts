import type { PlainRequest } from '@cloudagent-phone/core';
import { headersToRecord } from './headers.js';
import type { Transport, TransportResponse } from './transport.js';
import { TransportError, abortedError, networkError, refuseBeforeSending, refuseGetWithBody } from './transport-error.js';

export interface FetchTransportOptions {
  /** The fetch to use. Default: the runtime's global `fetch`, looked up at each call. */
  fetch?: typeof fetch;
}

export function resolveFetch(transportName: string, custom: typeof fetch | undefined): typeof fetch {
  const f = custom ?? globalThis.fetch;
  if (typeof f !== 'function') {
    throw new TypeError(
      `the ${transportName} transport found no global fetch in this runtime: pass { fetch } or use createKeepAliveTransport (or createNodeHttpTransport) from @cloudagent-phone/transport/node`,
    );
  }
  return f;
}

/**
 * Maps a rejected fetch to a TransportError. fetch does not say whether the connection was made, so
 * a timeout or cancellation during the call is `maybe_sent`; only error codes that can only happen
 * before connecting (refused, DNS) are `not_sent`.
 */
export function fetchFailure(error: unknown, signal: AbortSignal): TransportError {
  if (signal.aborted) return abortedError(signal, 'maybe_sent', error);
  if (isBlockedPort(error)) return new TransportError('connect_failed', 'not_sent', 'fetch refuses this port (a "bad port" under the Fetch standard)', { cause: error });
  return networkError(error, undefined);
}

// The Fetch standard blocks some ports (1, 25, 6000, ...) before connecting; undici says so with a
// code-less `Error('bad port')` as the cause, so nothing can have left.
function isBlockedPort(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if ((current as { message?: unknown }).message === 'bad port') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The runtime's fetch (Node 18+, Workers, Deno, Bun, browsers). Cannot send a GET with a body, so
 * it cannot do v2 `get` (nor read back an ambiguous mutation).
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  return {
    name: 'fetch',
    capabilities: { getWithBody: false },
    async send(request: PlainRequest, signal: AbortSignal): Promise<TransportResponse> {
      refuseGetWithBody('fetch', request.method, request.body);
      refuseBeforeSending(request, signal);
      const f = resolveFetch('fetch', options.fetch);
      let response: Response;
      try {
        response = await f(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          signal,
          redirect: 'manual',
        });
      } catch (error) {
        throw fetchFailure(error, signal);
      }
      let body: string;
      try {
        body = await response.text();
      } catch (error) {
        // The status line arrived, so the request certainly did.
        throw signal.aborted ? abortedError(signal, 'maybe_sent', error) : new TransportError('reset', 'maybe_sent', 'the connection dropped while reading the response', { cause: error });
      }
      return { status: response.status, headers: headersToRecord(response.headers), body };
    },
  };
}
