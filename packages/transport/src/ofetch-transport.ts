import type { PlainRequest } from '@cloudagent-phone/core';
import { createFetch } from 'ofetch';
import { fetchFailure, resolveFetch } from './fetch-transport.js';
import { headersToRecord } from './headers.js';
import type { Transport, TransportResponse } from './transport.js';
import { TransportError, refuseBeforeSending, refuseGetWithBody } from './transport-error.js';

export interface OfetchTransportOptions {
  /** The fetch ofetch should use. Default: the runtime's global `fetch`, looked up at each call. */
  fetch?: typeof fetch;
}

/**
 * fetch through ofetch, for teams that already configure ofetch (interceptors, proxies). ofetch's
 * own retries are off: whether a request may be sent again is the client's decision, made from
 * core's policy (ofetch would retry a 500 on a GET, and its defaults know nothing of ambiguous
 * mutations). Like fetch, it cannot send a GET with a body.
 */
export function createOfetchTransport(options: OfetchTransportOptions = {}): Transport {
  const $fetch = createFetch({
    fetch: ((input, init) => resolveFetch('ofetch', options.fetch)(input, init)) as typeof fetch,
    Headers: globalThis.Headers,
    AbortController: globalThis.AbortController,
  });
  return {
    name: 'ofetch',
    capabilities: { getWithBody: false },
    async send(request: PlainRequest, signal: AbortSignal): Promise<TransportResponse> {
      refuseGetWithBody('ofetch', request.method, request.body);
      refuseBeforeSending(request, signal);
      resolveFetch('ofetch', options.fetch);
      try {
        const response = await $fetch.raw<string, 'text'>(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          signal,
          redirect: 'manual',
          retry: false,
          ignoreResponseError: true,
          responseType: 'text',
        });
        const data: unknown = response._data;
        return { status: response.status, headers: headersToRecord(response.headers), body: typeof data === 'string' ? data : '' };
      } catch (error) {
        if (error instanceof TransportError) throw error;
        // ofetch wraps fetch's rejection in a FetchError whose message carries the URL (on v1, the
        // API key): only its cause is looked at, and never its message.
        const cause = (error as { name?: unknown })?.name === 'FetchError' ? (error as { cause?: unknown }).cause : error;
        throw fetchFailure(cause, signal);
      }
    },
  };
}
