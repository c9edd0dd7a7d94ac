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
  let head = `${request.method} ${target} HTTP/1.1\r\nHost: ${url.host}\r\n${options.connection === 'keep-alive' ? 'Connection: keep-alive' : 'Connection: close'}\r\n`;
  const headers = request.headers;
  for (const name of Object.keys(headers)) {
    const value = headers[name]!;
    if (!TOKEN.test(name)) throw new RequestEncodeError(`the header name ${JSON.stringify(name.slice(0, 40))} is not an HTTP token`);
    if (!FIELD_VALUE.test(value)) throw new RequestEncodeError(`the header "${name}" has a value with a line break or a control character`);
    if (OWNED.has(name.toLowerCase())) continue;
    head += `${name}: ${value.trim()}\r\n`;
  }
  const body = request.body;
  if (body === undefined) {
    // A POST without a body still says so: without a length the server could wait for one.
    return latin1(request.method === 'GET' ? `${head}\r\n` : `${head}Content-Length: 0\r\n\r\n`);
  }
  // A JSON body is ASCII nearly always (JSON.stringify keeps non-ASCII as is, so not always): then
  // its length in bytes is its length, and head and body are written into one buffer in one go.
  const asciiBody = ASCII.test(body);
  const encodedBody = asciiBody ? undefined : utf8.encode(body);
  const bodyLength = encodedBody === undefined ? body.length : encodedBody.byteLength;
  head += `Content-Length: ${bodyLength}\r\n\r\n`;
  const out = new Uint8Array(head.length + bodyLength);
  latin1Into(head, out);
  if (encodedBody === undefined) utf8.encodeInto(body, out.subarray(head.length));
  else out.set(encodedBody, head.length);
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Header bytes are ISO-8859-1 (RFC 9110 5.5); every char here is checked to be below 0x100. */
function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  latin1Into(text, out);
  return out;
}

function latin1Into(text: string, out: Uint8Array): void {
  // ASCII (the usual head) is the same bytes in UTF-8, which the runtime writes natively.
  if (ASCII.test(text)) {
    utf8.encodeInto(text, out);
    return;
  }
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
}
