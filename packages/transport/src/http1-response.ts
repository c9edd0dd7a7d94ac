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
   * ignored). Keeps no hold on `chunk` once it returns (what it still needs is copied), so a
   * caller may read every chunk into one reused buffer.
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
type State = typeof HEAD | typeof LENGTH | typeof CHUNK_SIZE | typeof CHUNK_DATA | typeof CHUNK_DATA_END | typeof TRAILERS | typeof UNTIL_CLOSE | typeof DONE;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d\d)(?: [^\r\n]*)?$/;
const CHUNK_SIZE_LINE = /^([0-9A-Fa-f]{1,15})[\t ]*(?:;.*)?$/;
const DIGITS = /^\d{1,15}$/;
const EMPTY = new Uint8Array(0);
const CR = 13;
const LF = 10;

/**
 * Bytes received but not consumed yet: appended at the end, consumed from the front. A chunk that
 * arrives while nothing is buffered is read where it is (the usual case: a whole answer in one
 * read); only bytes that must wait for the next chunk are copied, by `keep()`, into a buffer of
 * the queue's own.
 */
class ByteQueue {
  #bytes: Uint8Array = EMPTY;
  #start = 0;
  #end = 0;
  /** Whether #bytes is the queue's own buffer (may be written into), or a caller's chunk. */
  #owned = false;

  get length(): number {
    return this.#end - this.#start;
  }

  append(chunk: Uint8Array): void {
    const length = this.#end - this.#start;
    if (length === 0) {
      this.#bytes = chunk;
      this.#start = 0;
      this.#end = chunk.byteLength;
      this.#owned = false;
      return;
    }
    if (this.#owned && this.#end + chunk.byteLength <= this.#bytes.byteLength) {
      this.#bytes.set(chunk, this.#end);
      this.#end += chunk.byteLength;
      return;
    }
    const next = new Uint8Array(Math.max((length + chunk.byteLength) * 2, 1024));
    next.set(this.#bytes.subarray(this.#start, this.#end), 0);
    next.set(chunk, length);
    this.#bytes = next;
    this.#start = 0;
    this.#end = length + chunk.byteLength;
    this.#owned = true;
  }

  /** Copies the bytes not consumed yet out of the caller's chunk, which may be reused once push returns. */
  keep(): void {
    if (this.#owned || this.#end === this.#start) return;
    const length = this.#end - this.#start;
    const own = new Uint8Array(Math.max(length * 2, 1024));
    own.set(this.#bytes.subarray(this.#start, this.#end), 0);
    this.#bytes = own;
    this.#start = 0;
    this.#end = length;
    this.#owned = true;
  }

  /** Offset (from the front) of the first CRLF at or after `from`, or -1. */
  indexOfCrlf(from = 0): number {
    const bytes = this.#bytes;
    for (let i = bytes.indexOf(CR, this.#start + from); i >= 0 && i + 1 < this.#end; i = bytes.indexOf(CR, i + 1)) {
      if (bytes[i + 1] === LF) return i - this.#start;
    }
    return -1;
  }

  /** Offset of the first CRLFCRLF at or after `from`, or -1. */
  indexOfBlankLine(from = 0): number {
    const bytes = this.#bytes;
    for (let i = bytes.indexOf(CR, this.#start + from); i >= 0 && i + 3 < this.#end; i = bytes.indexOf(CR, i + 1)) {
      if (bytes[i + 1] === LF && bytes[i + 2] === CR && bytes[i + 3] === LF) return i - this.#start;
    }
    return -1;
  }

  /** Removes and returns `n` bytes (a copy: the body outlives the chunks it came in). */
  take(n: number): Uint8Array {
    const out = this.#bytes.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /** The byte `n` places from the front. */
  at(n: number): number | undefined {
    return this.#start + n < this.#end ? this.#bytes[this.#start + n] : undefined;
  }

  skip(n: number): void {
    this.#start += n;
  }

  /** Removes `n` bytes and returns them as ISO-8859-1 text (header bytes). */
  takeLatin1(n: number): string {
    const from = this.#start;
    this.#start += n;
    // One native call per slice: a char at a time costs several microseconds for one head.
    let text = '';
    for (let at = from; at < from + n; at += 4096) {
      text += String.fromCharCode.apply(null, this.#bytes.subarray(at, Math.min(at + 4096, from + n)) as unknown as number[]);
    }
    return text;
  }
}

function malformed(message: string): Http1ParseError {
  return new Http1ParseError('malformed', message);
}

interface Head {
  status: number;
  /** HTTP/1.1 (true) or HTTP/1.0. */
  http11: boolean;
  headers: Record<string, string>;
}

function isSpaceOrTab(code: number): boolean {
  return code === 32 || code === 9;
}

function parseHead(text: string): Head {
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const statusLine = text.slice(0, lineEnd);
  const statusMatch = STATUS_LINE.exec(statusLine);
  if (!statusMatch) throw malformed('the response does not start with an HTTP/1.x status line');
  // No prototype: a header named `constructor` is a header.
  const headers: Record<string, string> = Object.create(null);
  for (let at = lineEnd + 2; at < text.length; ) {
    let end = text.indexOf('\r\n', at);
    if (end < 0) end = text.length;
    if (isSpaceOrTab(text.charCodeAt(at))) throw malformed('the response folds a header over two lines (obsolete, refused)');
    const colon = text.indexOf(':', at);
    const name = colon > at && colon < end ? text.slice(at, colon) : '';
    if (!TOKEN.test(name)) throw malformed('the response has a header line that is not "name: value"');
    let from = colon + 1;
    let to = end;
    while (from < to && isSpaceOrTab(text.charCodeAt(from))) from++;
    while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
    const key = name.toLowerCase();
    const value = text.slice(from, to);
    const earlier = headers[key];
    headers[key] = earlier === undefined ? value : `${earlier}, ${value}`;
    at = end + 2;
  }
  return { status: Number(statusMatch[1]), http11: statusLine.charCodeAt(7) === 0x31, headers };
}

/** RFC 9112 9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when told to keep alive. */
function persists(head: Head): boolean {
  const connection = head.headers.connection;
  if (connection === undefined) return head.http11;
  const lower = connection.toLowerCase();
  if (lower === 'keep-alive') return true;
  if (lower === 'close') return false;
  const options = lower.split(',').map((option) => option.trim());
  return head.http11 ? !options.includes('close') : options.includes('keep-alive');
}

/** The body's length (a number), chunked, or until the connection ends (-1). */
const CHUNKED = -2;
const UNTIL_END = -1;

function framingOf(head: Head, requestMethod: string): number {
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

class ResponseParser implements Http1ResponseParser {
  readonly #maxHeadBytes: number;
  readonly #maxBodyBytes: number;
  readonly #requestMethod: string;
  readonly #queue = new ByteQueue();
  #bodyParts: Uint8Array[] = [];
  #bodyBytes = 0;
  #head: Head | undefined;
  #state: State = HEAD;
  /** Bytes still to read in a LENGTH body or a CHUNK_DATA chunk. */
  #remaining = 0;
  // How far the current line search has looked, so bytes arriving one at a time are scanned once.
  #scanned = 0;
  #trailerBytes = 0;
  #result: Http1Response | undefined;
  #reusable = false;

  constructor(options: Http1ParserOptions) {
    this.#maxHeadBytes = options.maxHeadBytes ?? 64 * 1024;
    this.#maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.#requestMethod = options.requestMethod ?? 'GET';
  }

  push(chunk: Uint8Array): Http1Response | undefined {
    if (this.#state === DONE) {
      if (chunk.byteLength > 0) this.#reusable = false;
      return this.#result;
    }
    this.#queue.append(chunk);
    const response = this.#advance();
    if (response === undefined) this.#queue.keep();
    return response;
  }

  end(): Http1Response {
    if (this.#state === DONE) return this.#result!;
    if (this.#state === UNTIL_CLOSE) return this.#complete(true);
    throw new Http1ParseError(
      'truncated',
      this.#state === HEAD && this.#head === undefined && this.#queue.length === 0 ? 'the connection closed before any response arrived' : 'the connection closed in the middle of the response',
    );
  }

  reusable(): boolean {
    return this.#reusable;
  }

  #addBody(bytes: Uint8Array): void {
    this.#bodyBytes += bytes.byteLength;
    if (this.#bodyBytes > this.#maxBodyBytes) throw malformed(`the response body is larger than ${this.#maxBodyBytes} bytes`);
    this.#bodyParts.push(bytes);
  }

  #complete(closing = false): Http1Response {
    this.#state = DONE;
    this.#reusable = !closing && this.#queue.length === 0 && persists(this.#head!);
    const parts = this.#bodyParts;
    let body: Uint8Array;
    if (parts.length === 0) body = EMPTY;
    else if (parts.length === 1) body = parts[0]!;
    else {
      body = new Uint8Array(this.#bodyBytes);
      let offset = 0;
      for (const part of parts) {
        body.set(part, offset);
        offset += part.byteLength;
      }
    }
    this.#bodyParts = [];
    this.#result = { status: this.#head!.status, headers: this.#head!.headers, body };
    return this.#result;
  }

  /** Takes one CRLF-terminated line, or returns undefined until it has arrived. */
  #line(limit: number, what: string): string | undefined {
    const queue = this.#queue;
    const at = queue.indexOfCrlf(Math.max(0, this.#scanned - 1));
    if (at < 0) {
      this.#scanned = queue.length;
      if (queue.length > limit) throw malformed(`${what} is longer than ${limit} bytes`);
      return undefined;
    }
    this.#scanned = 0;
    const text = queue.takeLatin1(at);
    queue.skip(2);
    return text;
  }

  // Runs the state machine as far as the buffered bytes allow.
  #advance(): Http1Response | undefined {
    const queue = this.#queue;
    for (;;) {
      switch (this.#state) {
        case DONE:
          return this.#result;
        case HEAD: {
          const at = queue.indexOfBlankLine(Math.max(0, this.#scanned - 3));
          if (at < 0) {
            this.#scanned = queue.length;
            if (queue.length > this.#maxHeadBytes) throw malformed(`the response head is larger than ${this.#maxHeadBytes} bytes`);
            return undefined;
          }
          if (at > this.#maxHeadBytes) throw malformed(`the response head is larger than ${this.#maxHeadBytes} bytes`);
          this.#scanned = 0;
          const parsed = parseHead(queue.takeLatin1(at));
          queue.skip(4);
          if (parsed.status === 101) throw malformed('the server switched protocols, which nothing asked for');
          if (parsed.status < 200) break; // an interim answer (100 Continue, 103 Early Hints): the real one follows
          this.#head = parsed;
          const framing = framingOf(parsed, this.#requestMethod);
          if (framing > this.#maxBodyBytes) throw malformed(`the response body is larger than ${this.#maxBodyBytes} bytes`);
          if (framing === CHUNKED) this.#state = CHUNK_SIZE;
          else if (framing === UNTIL_END) this.#state = UNTIL_CLOSE;
          else {
            this.#state = LENGTH;
            this.#remaining = framing;
          }
          break;
        }
        case LENGTH: {
          const n = Math.min(this.#remaining, queue.length);
          if (n > 0) this.#addBody(queue.take(n));
          this.#remaining -= n;
          if (this.#remaining > 0) return undefined;
          return this.#complete();
        }
        case CHUNK_SIZE: {
          const text = this.#line(4096, 'a chunk-size line');
          if (text === undefined) return undefined;
          const match = CHUNK_SIZE_LINE.exec(text);
          if (!match) throw malformed('the response has an invalid chunk-size line');
          const size = Number.parseInt(match[1]!, 16);
          if (this.#bodyBytes + size > this.#maxBodyBytes) throw malformed(`the response body is larger than ${this.#maxBodyBytes} bytes`);
          if (size === 0) this.#state = TRAILERS;
          else {
            this.#state = CHUNK_DATA;
            this.#remaining = size;
          }
          break;
        }
        case CHUNK_DATA: {
          const n = Math.min(this.#remaining, queue.length);
          if (n > 0) this.#addBody(queue.take(n));
          this.#remaining -= n;
          if (this.#remaining > 0) return undefined;
          this.#state = CHUNK_DATA_END;
          break;
        }
        case CHUNK_DATA_END: {
          if (queue.length < 2) return undefined;
          if (queue.at(0) !== CR || queue.at(1) !== LF) throw malformed('a chunk is longer than its chunk-size says');
          queue.skip(2);
          this.#state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          const text = this.#line(this.#maxHeadBytes, 'a trailer line');
          if (text === undefined) return undefined;
          if (text === '') return this.#complete();
          this.#trailerBytes += text.length + 2;
          if (this.#trailerBytes > this.#maxHeadBytes) throw malformed(`the response trailers are larger than ${this.#maxHeadBytes} bytes`);
          break;
        }
        case UNTIL_CLOSE: {
          if (queue.length > 0) this.#addBody(queue.take(queue.length));
          return undefined;
        }
      }
    }
  }
}

export function createHttp1ResponseParser(options: Http1ParserOptions = {}): Http1ResponseParser {
  return new ResponseParser(options);
}
