import { redact, type Delivery, type FailureCode, type TransportFailure } from '@cloudagent-phone/core';

/**
 * A request that got no response. `delivery` is the part that matters for safety:
 * - `not_sent`: provably never reached the server (refused, DNS, TLS, aborted before sending);
 * - `maybe_sent`: it may have arrived, so a mutation may have been applied.
 * When a transport cannot tell, it must say `maybe_sent`.
 */
export class TransportError extends Error {
  readonly code: FailureCode;
  readonly delivery: Delivery;

  constructor(code: FailureCode, delivery: Delivery, message: string, options?: { cause?: unknown }) {
    // The underlying error can quote the request: fetch's "Failed to parse URL from <url>" and
    // ofetch's FetchError carry a v1 URL, API key included. Both are redacted before they are kept.
    super(redact(message), options && 'cause' in options ? { cause: redact(options.cause) } : undefined);
    this.name = 'TransportError';
    this.code = code;
    this.delivery = delivery;
  }

  /** The shape core's `failureOutcome` reads. */
  toFailure(): TransportFailure {
    return { code: this.code, delivery: this.delivery, message: this.message };
  }
}

/** A request this transport cannot send: a programmer error, raised before anything leaves. */
export class UnsupportedRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRequestError';
  }
}

/**
 * What to use instead, in every "cannot send a GET with a body" message: the keep-alive transport
 * first (the one the CLI and the Node edge send through), node:http as the alternative.
 */
export const GET_WITH_BODY_FIX =
  'use createKeepAliveTransport (or createNodeHttpTransport) from @cloudagent-phone/transport/node (on Workers: createSocketTransport from @cloudagent-phone/transport/workers)';

export function refuseGetWithBody(transportName: string, method: string, body: string | undefined): void {
  if (method === 'GET' && body !== undefined) {
    throw new UnsupportedRequestError(
      `the ${transportName} transport cannot send a GET with a body (CloudAgent v2 "get" needs one): ${GET_WITH_BODY_FIX}`,
    );
  }
}

// Field values as node:http and fetch accept them (RFC 9110 field-value: visible ASCII, Latin-1,
// space and tab; no NUL, DEL, CR or LF, nothing above U+00FF); names are tokens.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What every transport checks before anything leaves: a call already cancelled, and a request that
 * no HTTP stack can carry (a header with NUL, DEL, a line break or a non-Latin-1 character; without
 * this the runtime throws a TypeError while building the request). Both throw a `not_sent`
 * TransportError, so neither reads as "may have been sent". The message names the header, never its
 * value (it is usually the key).
 */
export function refuseBeforeSending(request: { headers: Record<string, string> }, signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(signal, 'not_sent');
  // for-in, not Object.entries: no array of pairs per request (a bulk run sends thousands a second).
  const { headers } = request;
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name] as string;
    if (!HEADER_NAME.test(name)) throw new TransportError('invalid_request', 'not_sent', 'a header name is not a valid HTTP token; nothing was sent');
    if (!HEADER_VALUE.test(value)) {
      throw new TransportError('invalid_request', 'not_sent', `the ${name} header holds a character HTTP headers cannot carry (a control character or one above U+00FF); nothing was sent`);
    }
  }
}

/**
 * The opening of every socket-level transport's `send` (keep-alive, node-http, socket), made once
 * per transport: the returned function runs `refuseBeforeSending`, then `refuseAlso` when given (the
 * keep-alive transport refuses once it is closed), then parses the request's URL (the last one is
 * kept: a client sends a run's requests to one or two URLs) and refuses a protocol other than
 * http: and https:. Each refusal throws a `not_sent` TransportError that names the transport and
 * never quotes the URL (on v1 it holds the API key): URL's own TypeError quotes it, so it is not kept.
 */
export function createRequestUrl(
  transportName: string,
  refuseAlso?: () => void,
): (request: { url: string; headers: Record<string, string> }, signal: AbortSignal) => URL {
  // Assigned together, at the first request (a URL is always a string, so it differs from undefined).
  let lastText: string | undefined;
  let lastUrl!: URL;
  return (request, signal) => {
    refuseBeforeSending(request, signal);
    refuseAlso?.();
    if (lastText !== request.url) {
      try {
        lastUrl = new URL(request.url);
      } catch {
        throw new TransportError('network', 'not_sent', 'the request URL is not a valid absolute URL');
      }
      lastText = request.url;
    }
    if (lastUrl.protocol !== 'http:' && lastUrl.protocol !== 'https:') {
      throw new TransportError('network', 'not_sent', `the ${transportName} transport sends http: and https: URLs only, not ${lastUrl.protocol}`);
    }
    return lastUrl;
  };
}

/** Whether an abort reason is a timeout (AbortSignal.timeout and our per-attempt timer both say TimeoutError). */
export function isTimeoutReason(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
}

/** The error for a request whose signal fired: a timeout or a cancellation. */
export function abortedError(signal: AbortSignal, delivery: Delivery, cause?: unknown): TransportError {
  const timeout = isTimeoutReason(signal.reason);
  return new TransportError(
    timeout ? 'timeout' : 'aborted',
    delivery,
    timeout ? 'no answer before the timeout; the request was cancelled' : 'the request was cancelled by the caller',
    { cause },
  );
}

type Known = { code: FailureCode; delivery: Delivery; message: string };

// Only errors that happen before a single byte of the request can leave are `not_sent`.
const BEFORE_SENDING: Record<string, Known> = {
  ECONNREFUSED: { code: 'connect_failed', delivery: 'not_sent', message: 'connection refused' },
  EHOSTUNREACH: { code: 'connect_failed', delivery: 'not_sent', message: 'host unreachable' },
  ENETUNREACH: { code: 'connect_failed', delivery: 'not_sent', message: 'network unreachable' },
  EADDRNOTAVAIL: { code: 'connect_failed', delivery: 'not_sent', message: 'address not available' },
  UND_ERR_CONNECT_TIMEOUT: { code: 'connect_failed', delivery: 'not_sent', message: 'timed out while connecting' },
  ENOTFOUND: { code: 'dns', delivery: 'not_sent', message: 'host not found' },
  EAI_AGAIN: { code: 'dns', delivery: 'not_sent', message: 'temporary DNS failure' },
  EAI_NONAME: { code: 'dns', delivery: 'not_sent', message: 'host not found' },
  EAI_FAIL: { code: 'dns', delivery: 'not_sent', message: 'DNS failure' },
};

const AFTER_CONNECTING: Record<string, Known> = {
  ECONNRESET: { code: 'reset', delivery: 'maybe_sent', message: 'the connection was reset' },
  EPIPE: { code: 'reset', delivery: 'maybe_sent', message: 'the connection was closed while sending' },
  ECONNABORTED: { code: 'reset', delivery: 'maybe_sent', message: 'the connection was aborted' },
  UND_ERR_SOCKET: { code: 'reset', delivery: 'maybe_sent', message: 'the server closed the connection' },
  UND_ERR_CLOSED: { code: 'reset', delivery: 'maybe_sent', message: 'the connection was closed' },
  UND_ERR_HEADERS_TIMEOUT: { code: 'timeout', delivery: 'maybe_sent', message: 'no response headers in time' },
  UND_ERR_BODY_TIMEOUT: { code: 'timeout', delivery: 'maybe_sent', message: 'the response body stalled' },
  ETIMEDOUT: { code: 'timeout', delivery: 'maybe_sent', message: 'the connection timed out' },
};

const TLS_CODE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;

function* causeChain(error: unknown): Generator<unknown> {
  let current = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    yield current;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) yield inner;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The first system error code (ECONNREFUSED, UND_ERR_SOCKET, ...) in an error's cause chain. */
export function errorCodeOf(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && code !== '') return code;
  }
  return undefined;
}

/**
 * Maps a low-level failure to a TransportError. `connected` is what the transport knows: `true` when
 * a socket was connected (node:http knows), `undefined` when it cannot tell (fetch). Codes that can
 * only happen before connecting are `not_sent` whatever `connected` says; everything else is
 * `maybe_sent` unless the transport knows the socket never connected.
 */
export function networkError(error: unknown, connected: boolean | undefined): TransportError {
  const code = errorCodeOf(error);
  if (code !== undefined) {
    const before = BEFORE_SENDING[code];
    if (before) return new TransportError(before.code, before.delivery, `${before.message} (${code})`, { cause: error });
    if (TLS_CODE.test(code)) {
      return new TransportError('tls', connected === true ? 'maybe_sent' : 'not_sent', `the TLS handshake failed (${code})`, { cause: error });
    }
    const after = AFTER_CONNECTING[code];
    if (after) return new TransportError(after.code, connected === false ? 'not_sent' : 'maybe_sent', `${after.message} (${code})`, { cause: error });
  }
  return new TransportError('network', connected === false ? 'not_sent' : 'maybe_sent', `a network error occurred${code ? ` (${code})` : ''}`, { cause: error });
}
