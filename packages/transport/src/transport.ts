import type { PlainRequest } from '@cloudagent-phone/core';

/** What a transport can do beyond plain GETs and POSTs with a body. */
export interface TransportCapabilities {
  /**
   * Can send a GET with a request body, which v2 `get` needs. `fetch` cannot (it throws a TypeError
   * in Node and in Workers); node:http can.
   */
  readonly getWithBody: boolean;
}

/** A response as plain data: header names in lower case, repeated headers joined with ", ". */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text, exactly as received (decoded as UTF-8). */
  body: string;
}

/**
 * The one thing the client needs from the network: send this request, honour this signal.
 *
 * Contract (checked for every implementation by `describeTransportContract` from
 * `@cloudagent-phone/transport/testing`; run it against yours):
 * - any HTTP status is a response, never an error: a 500 or an HTML page comes back as it arrived;
 * - a failure with no response rejects with a `TransportError` whose `delivery` says honestly
 *   whether the request could have reached the server;
 * - when `signal` aborts, the request itself is cancelled (the connection is closed), not only the
 *   wait for it;
 * - a request the transport cannot send (a GET with a body without `getWithBody`) is refused with an
 *   `UnsupportedRequestError` before anything leaves;
 * - redirects are not followed (re-sending a POST somewhere else is the caller's decision).
 */
export interface Transport {
  /** `fetch`, `ofetch`, `node-http`, or a custom name (it appears in logs). */
  readonly name: string;
  readonly capabilities: TransportCapabilities;
  send(request: PlainRequest, signal: AbortSignal): Promise<TransportResponse>;
}
