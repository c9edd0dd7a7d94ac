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

/** A request as HTTP/1.1: the head as text (every char below U+0100, one byte each) and the body as UTF-8. */
export interface Http1RequestParts {
  head: string;
  body: Uint8Array | undefined;
}

/**
 * The head up to its framing, for the request before: a client sends one run's requests with the
 * same method, URL and headers (only the body changes), and checking and joining the headers again
 * cost as much as the rest of the request. Compared field by field, so any difference rebuilds it.
 */
let lastPrefix: { method: string; href: string; connection: string; entries: string[]; prefix: string } | undefined;

function samePrefix(request: PlainRequest, url: URL, connection: string): boolean {
  const last = lastPrefix;
  if (last === undefined || last.method !== request.method || last.href !== url.href || last.connection !== connection) return false;
  const { entries } = last;
  let i = 0;
  for (const name in request.headers) {
    if (!Object.hasOwn(request.headers, name)) return false;
    if (entries[i] !== name || entries[i + 1] !== request.headers[name]) return false;
    i += 2;
  }
  return i === entries.length;
}

/** The request line, Host, Connection and the caller's headers, each checked (see http1RequestHead). */
function headPrefix(request: PlainRequest, url: URL, connection: string): string {
  if (samePrefix(request, url, connection)) return lastPrefix!.prefix;
  if (!TOKEN.test(request.method)) throw new RequestEncodeError('the request method is not an HTTP token');
  let head = `${request.method} ${url.pathname || '/'}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: ${connection}\r\n`;
  const entries: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TOKEN.test(name)) throw new RequestEncodeError(`the header name ${JSON.stringify(name.slice(0, 40))} is not an HTTP token`);
    if (!FIELD_VALUE.test(value)) throw new RequestEncodeError(`the header "${name}" has a value with a line break or a control character`);
    if (!OWNED.has(name.toLowerCase())) head += `${name}: ${value.trim()}\r\n`;
    entries.push(name, value);
  }
  lastPrefix = { method: request.method, href: url.href, connection, entries, prefix: head };
  return head;
}

/**
 * One HTTP/1.1 request's head, for a body of `bodyBytes` bytes (undefined: none): origin-form
 * target (path and query exactly as the URL holds them), `Host`, `Connection` (`close` unless
 * asked to keep the connection alive), and `Content-Length` whenever there is a body, a GET's
 * included. The caller's header names keep their case (`apiKey` goes out as `apiKey`). Text: every
 * char is below U+0100, one byte each in ISO-8859-1, which Node writes natively.
 *
 * Error messages name the header, never its value: a value may be the API key.
 */
export function http1RequestHead(request: PlainRequest, url: URL, bodyBytes: number | undefined, options: Http1RequestOptions = {}): string {
  const head = headPrefix(request, url, options.connection ?? 'close');
  // A POST without a body still says so: without a length the server could wait for one.
  if (bodyBytes !== undefined) return `${head}Content-Length: ${bodyBytes}\r\n\r\n`;
  return request.method !== 'GET' ? `${head}Content-Length: 0\r\n\r\n` : `${head}\r\n`;
}

/** A request as HTTP/1.1 (see `http1RequestHead`): the head as text and the body as UTF-8. */
export function http1RequestParts(request: PlainRequest, url: URL, options: Http1RequestOptions = {}): Http1RequestParts {
  const body = request.body === undefined ? undefined : utf8.encode(request.body);
  return { head: http1RequestHead(request, url, body?.byteLength, options), body };
}

/** One HTTP/1.1 request, head and body, as bytes (see `http1RequestParts`). */
export function encodeHttp1Request(request: PlainRequest, url: URL, options: Http1RequestOptions = {}): Uint8Array {
  const { head, body } = http1RequestParts(request, url, options);
  // Header bytes are ISO-8859-1 (RFC 9110 5.5); every char here was checked to be below 0x100.
  const out = new Uint8Array(head.length + (body?.byteLength ?? 0));
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  if (body) out.set(body, head.length);
  return out;
}
