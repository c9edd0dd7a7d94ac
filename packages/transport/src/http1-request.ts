import type { PlainRequest } from '@cloudagent-phone/core';

/** Why a request cannot be written as HTTP/1.1. Raised before a byte leaves. */
export class RequestEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestEncodeError';
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A field value may hold visible ASCII, spaces, tabs and obs-text; never CR, LF or NUL, which
// would let a value end the header early and smuggle another one (or a second request) in.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The framing is the encoder's: a caller's own values for these would contradict what it writes. */
const OWNED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer']);

const utf8 = new TextEncoder();

export interface Http1RequestOptions {
  /**
   * `close` (default): one request per connection, the end of the answer is never in doubt (the
   * socket transport). `keep-alive`: the connection may carry the next request once this answer
   * has been read whole (the keep-alive transport; never pipelined).
   */
  connection?: 'close' | 'keep-alive';
}

/**
 * One HTTP/1.1 request, head and body, as bytes: origin-form target (path and query exactly as
 * the URL holds them), `Host`, `Connection` (`close` unless asked to keep the connection alive),
 * and `Content-Length` whenever there is a body, a GET's included. The caller's header names keep
 * their case (`apiKey` goes out as `apiKey`).
 *
 * Error messages name the header, never its value: a value may be the API key.
 */
export function encodeHttp1Request(request: PlainRequest, url: URL, options: Http1RequestOptions = {}): Uint8Array {
  if (!TOKEN.test(request.method)) throw new RequestEncodeError('the request method is not an HTTP token');
  const target = `${url.pathname === '' ? '/' : url.pathname}${url.search}`;
  const lines = [`${request.method} ${target} HTTP/1.1`, `Host: ${url.host}`, options.connection === 'keep-alive' ? 'Connection: keep-alive' : 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TOKEN.test(name)) throw new RequestEncodeError(`the header name ${JSON.stringify(name.slice(0, 40))} is not an HTTP token`);
    if (!FIELD_VALUE.test(value)) throw new RequestEncodeError(`the header "${name}" has a value with a line break or a control character`);
    if (OWNED.has(name.toLowerCase())) continue;
    lines.push(`${name}: ${value.trim()}`);
  }
  const body = request.body === undefined ? undefined : utf8.encode(request.body);
  // A POST without a body still says so: without a length the server could wait for one.
  if (body !== undefined) lines.push(`Content-Length: ${body.byteLength}`);
  else if (request.method !== 'GET') lines.push('Content-Length: 0');
  const head = latin1(`${lines.join('\r\n')}\r\n\r\n`);
  if (body === undefined || body.byteLength === 0) return head;
  const out = new Uint8Array(head.byteLength + body.byteLength);
  out.set(head, 0);
  out.set(body, head.byteLength);
  return out;
}

/** Header bytes are ISO-8859-1 (RFC 9110 5.5); every char here is checked to be below 0x100. */
function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
