/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for one response: the one answer to one
 * request, on a connection that is closed afterwards (the socket transport) or kept for the next
 * request once this answer is complete (the keep-alive transport; never pipelined, so nothing may
 * follow the answer). Pure: bytes in, a response out; no I/O, runs in any runtime.
 *
 * It reads exactly what the transports need and refuses the rest rather than guess:
 * - status line `HTTP/1.0` or `HTTP/1.1`, interim 1xx answers skipped (101 refused: nothing asked
 *   to upgrade);
 * - body framed by `Transfer-Encoding: chunked` (extensions and trailers read and dropped), by
 *   `Content-Length`, or by the end of the connection; none for 204 and 304, nor for the answer to
 *   a HEAD (whatever its Content-Length says);
 * - whether the connection may carry another request afterwards (`reusable()`, RFC 9112 9.3):
 *   HTTP/1.1 unless the server said `Connection: close`, HTTP/1.0 only with `Connection:
 *   keep-alive`, never when the body ended with the connection or bytes followed the answer;
 * - refused as malformed: obsolete line folding, a header name that is not a token, conflicting
 *   `Content-Length` values, a transfer coding other than chunked (nothing asked for one), a head
 *   or body over the limits.
 */
export interface Http1Response {
  status: number;
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface Http1Limits {
  /** Status line and headers together. Default 64 KiB. */
  maxHeadBytes?: number;
  /** The body after de-chunking. Default 8 MiB (CloudAgent answers are a few hundred bytes). */
  maxBodyBytes?: number;
}

export interface Http1ParserOptions extends Http1Limits {
  /** The method of the request this answers: the answer to a HEAD has no body. Default GET. */
  requestMethod?: string;
}

/**
 * `truncated`: the connection ended before the response did (a dropped connection).
 * `malformed`: what arrived is not an HTTP/1.1 response this parser accepts.
 */
export class Http1ParseError extends Error {
  readonly kind: 'truncated' | 'malformed';
  constructor(kind: 'truncated' | 'malformed', message: string) {
    super(message);
    this.name = 'Http1ParseError';
    this.kind = kind;
  }
}

export interface Http1ResponseParser {
  /**
   * Feeds bytes as they arrive; returns the response once it is complete (later bytes are
   * ignored). Keeps no hold on `chunk` (its bytes are copied), so a caller may read every chunk
   * into one reused buffer.
   */
  push(chunk: Uint8Array): Http1Response | undefined;
  /** The connection ended: returns the response if its end was the end of the connection, else throws `truncated`. */
  end(): Http1Response;
  /**
   * Once the response is complete: whether the connection may carry another request. False
   * before then, when the server asked to close, when the body was framed by the end of the
   * connection, and when bytes arrived after the end of the answer (nothing was asked for them:
   * the connection's state is unknown).
   */
  reusable(): boolean;
}

// Where the parser is. Numbers, not objects: one response is parsed per request, and a bulk run
// makes thousands a second.
const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_DATA_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const DONE = 7;

/** The body's length is a number, or one of these. */
const CHUNKED = -2;
const UNTIL_END = -1;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/;
const CHUNK_SIZE_LINE = /^([0-9A-Fa-f]{1,15})[\t ]*(?:;.*)?$/;
const DIGITS = /^\d{1,15}$/;
const EMPTY = new Uint8Array(0);

function malformed(message: string): Http1ParseError {
  return new Http1ParseError('malformed', message);
}

interface Head {
  status: number;
  /** Whether the connection may carry another request after it (RFC 9112 9.3). */
  persists: boolean;
  headers: Record<string, string>;
}

const isSpaceOrTab = (code: number) => code === 32 || code === 9;

/**
 * Header names as they are written → lower-cased, for the names seen most (a server sends the same
 * handful on every answer): checked to be a token and lower-cased once. Bounded, since a server
 * chooses the names.
 */
const headerNames = new Map<string, string>();

function headerName(name: string): string | undefined {
  let key = headerNames.get(name);
  if (key === undefined) {
    if (!TOKEN.test(name)) return undefined;
    key = name.toLowerCase();
    if (headerNames.size < 256) headerNames.set(name, key);
  }
  return key;
}

/** Whether the connection persists after the answer (RFC 9112 9.3), by the Connection header; the last value seen is kept. */
let lastConnection: { value: string; close: boolean; keepAlive: boolean } | undefined;

function connectionOptions(value: string): { close: boolean; keepAlive: boolean } {
  if (lastConnection?.value !== value) {
    const options = value.toLowerCase().split(',').map((option) => option.trim());
    lastConnection = { value, close: options.includes('close'), keepAlive: options.includes('keep-alive') };
  }
  return lastConnection;
}

/** `text`: the status line and the header lines, each ending in CRLF (the blank line left out). */
function parseHead(text: string): Head {
  let at = text.indexOf('\r\n');
  const status = STATUS_LINE.exec(text.slice(0, at));
  if (!status) throw malformed('the response does not start with an HTTP/1.x status line');
  // No prototype: a header named `constructor` is a header.
  const headers: Record<string, string> = Object.create(null);
  for (at += 2; at < text.length; ) {
    const end = text.indexOf('\r\n', at);
    if (isSpaceOrTab(text.charCodeAt(at))) throw malformed('the response folds a header over two lines (obsolete, refused)');
    const colon = text.indexOf(':', at);
    const key = colon > at && colon < end ? headerName(text.slice(at, colon)) : undefined;
    if (key === undefined) throw malformed('the response has a header line that is not "name: value"');
    let from = colon + 1;
    let to = end;
    while (from < to && isSpaceOrTab(text.charCodeAt(from))) from++;
    while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
    const earlier = headers[key];
    headers[key] = earlier === undefined ? text.slice(from, to) : `${earlier}, ${text.slice(from, to)}`;
    at = end + 2;
  }
  // HTTP/1.1 persists unless told to close; HTTP/1.0 only when told to keep alive.
  const connection = headers.connection === undefined ? undefined : connectionOptions(headers.connection);
  return { status: Number(status[2]), persists: status[1] === '1' ? !connection?.close : connection?.keepAlive === true, headers };
}

function bodyLength(head: Head, requestMethod: string): number {
  if (head.status === 204 || head.status === 304 || requestMethod === 'HEAD') return 0;
  const transferEncoding = head.headers['transfer-encoding'];
  if (transferEncoding !== undefined) {
    // Transfer-Encoding wins over Content-Length (RFC 9112 6.3). Only chunked is asked for (the
    // request sends no TE), and a body whose length cannot be known is not guessed at.
    const codings = transferEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
    if (codings.length === 1 && codings[0] === 'chunked') return CHUNKED;
    throw malformed('the response uses a transfer coding other than chunked');
  }
  const contentLength = head.headers['content-length'];
  if (contentLength === undefined) return UNTIL_END;
  if (DIGITS.test(contentLength)) return Number(contentLength);
  // Repeated (joined with ", "): allowed only when every value is the same number.
  const values = new Set(contentLength.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !DIGITS.test(only)) throw malformed('the response has an invalid or conflicting Content-Length');
  return Number(only);
}

// Header bytes as text, ISO-8859-1 (RFC 9110 5.5). A TextDecoder does it natively where the
// runtime has one that keeps every byte as the same code point (Node's "latin1"); WHATWG's
// "latin1" is windows-1252, which turns 0x80-0x9F into other characters: such text (rare: obs-text
// in a header) is redone a code unit at a time, as is everything where no decoder exists.
let latin1Decoder: InstanceType<typeof TextDecoder> | null | undefined;
const NOT_LATIN1 = /[^\x00-\xff]/;

function latin1(bytes: Uint8Array, from: number, to: number): string {
  if (latin1Decoder === undefined) {
    try {
      latin1Decoder = new TextDecoder('latin1');
    } catch {
      latin1Decoder = null;
    }
  }
  if (latin1Decoder !== null) {
    const text = latin1Decoder.decode(bytes.subarray(from, to));
    if (!NOT_LATIN1.test(text)) return text;
  }
  let text = '';
  // A native call per 4 KiB: a char at a time cost microseconds for one head.
  for (let at = from; at < to; at += 4096) text += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(at + 4096, to)) as unknown as number[]);
  return text;
}

/** A copy of bytes[from, to), whatever the typed array's own `slice` does (Node's buffers' is a view). */
const copyOf = (bytes: Uint8Array, from: number, to: number): Uint8Array => Uint8Array.prototype.slice.call(bytes, from, to);

export function createHttp1ResponseParser(options: Http1ParserOptions = {}): Http1ResponseParser {
  return new ResponseParser(options);
}

/**
 * One response's parse. A class, not closures: a bulk run parses thousands of answers a second, and
 * a dozen closures per answer were most of its cost.
 *
 * A chunk that arrives with nothing buffered is parsed where it is (borrowed): a whole answer in
 * one read, the usual case, is never copied but for its body. Whatever of a borrowed chunk is left
 * unread when push returns is copied into the parser's own buffer, since the caller may reuse the
 * chunk's memory for the next read.
 */
class ResponseParser implements Http1ResponseParser {
  readonly #maxHeadBytes: number;
  readonly #maxBodyBytes: number;
  readonly #requestMethod: string;
  /** Bytes received and not consumed yet: bytes[start, end). The caller's chunk while borrowed. */
  #bytes: Uint8Array = EMPTY;
  #start = 0;
  #end = 0;
  #borrowed = false;
  #bodyParts: Uint8Array[] = [];
  #bodyBytes = 0;
  #head: Head | undefined;
  #state = HEAD;
  /** Bytes still to read of a Content-Length body or of a chunk. */
  #remaining = 0;
  /** How far the current line search has looked, so bytes arriving one at a time are scanned once. */
  #scanned = 0;
  #trailerBytes = 0;
  #result: Http1Response | undefined;
  #reusable = false;

  constructor(options: Http1ParserOptions) {
    this.#maxHeadBytes = options.maxHeadBytes ?? 64 * 1024;
    this.#maxBodyBytes = options.maxBodyBytes ?? 2 ** 23; // 8 MiB
    this.#requestMethod = options.requestMethod ?? 'GET';
  }

  push(chunk: Uint8Array): Http1Response | undefined {
    if (this.#state === DONE) {
      if (chunk.byteLength > 0) this.#reusable = false;
      return this.#result;
    }
    if (this.#start === this.#end) {
      this.#bytes = chunk;
      this.#start = 0;
      this.#end = chunk.byteLength;
      this.#borrowed = true;
    } else {
      this.#append(chunk);
    }
    try {
      return this.#advance();
    } finally {
      if (this.#borrowed) this.#keepUnread();
    }
  }

  end(): Http1Response {
    if (this.#state === DONE) return this.#result!;
    if (this.#state === UNTIL_CLOSE) return this.#complete(true);
    throw new Http1ParseError(
      'truncated',
      this.#state === HEAD && this.#head === undefined && this.#start === this.#end ? 'the connection closed before any response arrived' : 'the connection closed in the middle of the response',
    );
  }

  reusable(): boolean {
    return this.#reusable;
  }

  /** Stops borrowing the caller's chunk: what is left of it is copied (nothing, usually). */
  #keepUnread(): void {
    this.#borrowed = false;
    const left = this.#end - this.#start;
    this.#bytes = left === 0 || this.#state === DONE ? EMPTY : copyOf(this.#bytes, this.#start, this.#end);
    this.#start = 0;
    this.#end = this.#state === DONE ? 0 : left;
  }

  #append(chunk: Uint8Array): void {
    if (this.#end + chunk.byteLength > this.#bytes.byteLength) {
      const next = new Uint8Array(Math.max((this.#end - this.#start + chunk.byteLength) * 2, 1024));
      next.set(this.#bytes.subarray(this.#start, this.#end), 0);
      this.#bytes = next;
      this.#end -= this.#start;
      this.#start = 0;
    }
    this.#bytes.set(chunk, this.#end);
    this.#end += chunk.byteLength;
  }

  /** Offset (from `start`) of the first CRLF, or of CRLFCRLF when `blank`, at or after `from`; or -1. */
  #find(from: number, blank: boolean): number {
    const bytes = this.#bytes;
    const start = this.#start;
    const end = this.#end;
    for (let i = bytes.indexOf(13, start + from); i >= 0 && i + (blank ? 3 : 1) < end; i = bytes.indexOf(13, i + 1)) {
      if (bytes[i + 1] === 10 && (!blank || (bytes[i + 2] === 13 && bytes[i + 3] === 10))) return i - start;
    }
    return -1;
  }

  /**
   * Removes `n` bytes and returns them (a copy: the body outlives the buffer). Uint8Array's slice,
   * not the chunk's own: a borrowed Node buffer's `slice` is a view into memory the caller reuses.
   */
  #take(n: number): Uint8Array {
    return copyOf(this.#bytes, this.#start, (this.#start += n));
  }

  /** Removes `n` bytes and `skip` after them, and returns the `n` as ISO-8859-1 text (header bytes). */
  #takeLatin1(n: number, skip: number): string {
    const text = latin1(this.#bytes, this.#start, this.#start + n);
    this.#start += n + skip;
    return text;
  }

  #addBody(part: Uint8Array): void {
    this.#bodyBytes += part.byteLength;
    if (this.#bodyBytes > this.#maxBodyBytes) throw malformed(`the response body is larger than ${this.#maxBodyBytes} bytes`);
    this.#bodyParts.push(part);
  }

  #complete(closing?: boolean): Http1Response {
    this.#state = DONE;
    this.#reusable = !closing && this.#start === this.#end && this.#head!.persists;
    const parts = this.#bodyParts;
    let body = parts[0] ?? EMPTY;
    if (parts.length > 1) {
      body = new Uint8Array(this.#bodyBytes);
      let offset = 0;
      for (const part of parts) {
        body.set(part, offset);
        offset += part.byteLength;
      }
    }
    this.#result = { status: this.#head!.status, headers: this.#head!.headers, body };
    return this.#result;
  }

  /** Takes one CRLF-terminated line, or returns undefined until it has arrived. */
  #line(limit: number, what: string): string | undefined {
    const at = this.#find(Math.max(0, this.#scanned - 1), false);
    if (at < 0) {
      this.#scanned = this.#end - this.#start;
      if (this.#scanned > limit) throw malformed(`${what} is longer than ${limit} bytes`);
      return undefined;
    }
    this.#scanned = 0;
    return this.#takeLatin1(at, 2);
  }

  /** Runs the state machine as far as the buffered bytes allow. */
  #advance(): Http1Response | undefined {
    const maxHeadBytes = this.#maxHeadBytes;
    const maxBodyBytes = this.#maxBodyBytes;
    for (;;) {
      switch (this.#state) {
        case DONE:
          return this.#result;
        case HEAD: {
          const at = this.#find(Math.max(0, this.#scanned - 3), true);
          if (at < 0) {
            this.#scanned = this.#end - this.#start;
            if (this.#scanned > maxHeadBytes) throw malformed(`the response head is larger than ${maxHeadBytes} bytes`);
            return undefined;
          }
          if (at > maxHeadBytes) throw malformed(`the response head is larger than ${maxHeadBytes} bytes`);
          this.#scanned = 0;
          const parsed = parseHead(this.#takeLatin1(at + 2, 2));
          if (parsed.status === 101) throw malformed('the server switched protocols, which nothing asked for');
          if (parsed.status < 200) break; // an interim answer (100 Continue, 103 Early Hints): the real one follows
          this.#head = parsed;
          const length = bodyLength(parsed, this.#requestMethod);
          if (length > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
          this.#state = length === CHUNKED ? CHUNK_SIZE : length === UNTIL_END ? UNTIL_CLOSE : LENGTH;
          this.#remaining = length;
          break;
        }
        case LENGTH:
        case CHUNK_DATA: {
          const n = Math.min(this.#remaining, this.#end - this.#start);
          if (n > 0) this.#addBody(this.#take(n));
          this.#remaining -= n;
          if (this.#remaining > 0) return undefined;
          if (this.#state === LENGTH) return this.#complete();
          this.#state = CHUNK_DATA_END;
          break;
        }
        case CHUNK_SIZE: {
          const text = this.#line(4096, 'a chunk-size line');
          if (text === undefined) return undefined;
          const match = CHUNK_SIZE_LINE.exec(text);
          if (!match) throw malformed('the response has an invalid chunk-size line');
          this.#remaining = Number.parseInt(match[1]!, 16);
          if (this.#bodyBytes + this.#remaining > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
          this.#state = this.#remaining === 0 ? TRAILERS : CHUNK_DATA;
          break;
        }
        case CHUNK_DATA_END: {
          if (this.#end - this.#start < 2) return undefined;
          if (this.#bytes[this.#start] !== 13 || this.#bytes[this.#start + 1] !== 10) throw malformed('a chunk is longer than its chunk-size says');
          this.#start += 2;
          this.#state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          const text = this.#line(maxHeadBytes, 'a trailer line');
          if (text === undefined) return undefined;
          if (text === '') return this.#complete();
          this.#trailerBytes += text.length + 2;
          if (this.#trailerBytes > maxHeadBytes) throw malformed(`the response trailers are larger than ${maxHeadBytes} bytes`);
          break;
        }
        case UNTIL_CLOSE: {
          if (this.#end > this.#start) this.#addBody(this.#take(this.#end - this.#start));
          return undefined;
        }
      }
    }
  }
}
