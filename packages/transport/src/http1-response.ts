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
    const name = colon > at && colon < end ? text.slice(at, colon) : '';
    if (!TOKEN.test(name)) throw malformed('the response has a header line that is not "name: value"');
    let from = colon + 1;
    let to = end;
    while (from < to && isSpaceOrTab(text.charCodeAt(from))) from++;
    while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
    const key = name.toLowerCase();
    const earlier = headers[key];
    headers[key] = earlier === undefined ? text.slice(from, to) : `${earlier}, ${text.slice(from, to)}`;
    at = end + 2;
  }
  // HTTP/1.1 persists unless told to close; HTTP/1.0 only when told to keep alive.
  const connection = (headers.connection ?? '').toLowerCase().split(',').map((option) => option.trim());
  return { status: Number(status[2]), persists: status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive'), headers };
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
  // Repeated (joined with ", "): allowed only when every value is the same number.
  const values = new Set(contentLength.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !DIGITS.test(only)) throw malformed('the response has an invalid or conflicting Content-Length');
  return Number(only);
}

export function createHttp1ResponseParser(options: Http1ParserOptions = {}): Http1ResponseParser {
  const maxHeadBytes = options.maxHeadBytes ?? 64 * 1024;
  const maxBodyBytes = options.maxBodyBytes ?? 2 ** 23; // 8 MiB
  // Bytes received and not consumed yet: bytes[start, end). Copied in: the caller may reuse its chunk.
  let bytes = EMPTY;
  let start = 0;
  let end = 0;
  const bodyParts: Uint8Array[] = [];
  let bodyBytes = 0;
  let head: Head | undefined;
  let state = HEAD;
  /** Bytes still to read of a Content-Length body or of a chunk. */
  let remaining = 0;
  // How far the current line search has looked, so bytes arriving one at a time are scanned once.
  let scanned = 0;
  let trailerBytes = 0;
  let result: Http1Response | undefined;
  let reusable = false;

  const append = (chunk: Uint8Array) => {
    if (end + chunk.byteLength > bytes.byteLength) {
      const next = new Uint8Array(Math.max((end - start + chunk.byteLength) * 2, 1024));
      next.set(bytes.subarray(start, end), 0);
      bytes = next;
      end -= start;
      start = 0;
    }
    bytes.set(chunk, end);
    end += chunk.byteLength;
  };

  /** Offset (from `start`) of the first CRLF, or of CRLFCRLF when `blank`, at or after `from`; or -1. */
  const find = (from: number, blank: boolean): number => {
    for (let i = bytes.indexOf(13, start + from); i >= 0 && i + (blank ? 3 : 1) < end; i = bytes.indexOf(13, i + 1)) {
      if (bytes[i + 1] === 10 && (!blank || (bytes[i + 2] === 13 && bytes[i + 3] === 10))) return i - start;
    }
    return -1;
  };

  /** Removes `n` bytes and returns them (a copy: the body outlives the buffer). */
  const take = (n: number): Uint8Array => bytes.slice(start, (start += n));

  /** Removes `n` bytes and `skip` after them, and returns the `n` as ISO-8859-1 text (header bytes). */
  const takeLatin1 = (n: number, skip: number): string => {
    let text = '';
    // A native call per 4 KiB: a char at a time cost microseconds for one head.
    for (let at = start; at < start + n; at += 4096) text += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(at + 4096, start + n)) as unknown as number[]);
    start += n + skip;
    return text;
  };

  const addBody = (part: Uint8Array) => {
    bodyBytes += part.byteLength;
    if (bodyBytes > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
    bodyParts.push(part);
  };

  const complete = (closing?: boolean): Http1Response => {
    state = DONE;
    reusable = !closing && start === end && head!.persists;
    let body = bodyParts[0] ?? EMPTY;
    if (bodyParts.length > 1) {
      body = new Uint8Array(bodyBytes);
      let offset = 0;
      for (const part of bodyParts) {
        body.set(part, offset);
        offset += part.byteLength;
      }
    }
    result = { status: head!.status, headers: head!.headers, body };
    return result;
  };

  /** Takes one CRLF-terminated line, or returns undefined until it has arrived. */
  const line = (limit: number, what: string): string | undefined => {
    const at = find(Math.max(0, scanned - 1), false);
    if (at < 0) {
      scanned = end - start;
      if (scanned > limit) throw malformed(`${what} is longer than ${limit} bytes`);
      return undefined;
    }
    scanned = 0;
    return takeLatin1(at, 2);
  };

  // Runs the state machine as far as the buffered bytes allow.
  const advance = (): Http1Response | undefined => {
    for (;;) {
      switch (state) {
        case DONE:
          return result;
        case HEAD: {
          const at = find(Math.max(0, scanned - 3), true);
          if (at < 0) {
            scanned = end - start;
            if (scanned > maxHeadBytes) throw malformed(`the response head is larger than ${maxHeadBytes} bytes`);
            return undefined;
          }
          if (at > maxHeadBytes) throw malformed(`the response head is larger than ${maxHeadBytes} bytes`);
          scanned = 0;
          const parsed = parseHead(takeLatin1(at + 2, 2));
          if (parsed.status === 101) throw malformed('the server switched protocols, which nothing asked for');
          if (parsed.status < 200) break; // an interim answer (100 Continue, 103 Early Hints): the real one follows
          head = parsed;
          const length = bodyLength(parsed, options.requestMethod ?? 'GET');
          if (length > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
          state = length === CHUNKED ? CHUNK_SIZE : length === UNTIL_END ? UNTIL_CLOSE : LENGTH;
          remaining = length;
          break;
        }
        case LENGTH:
        case CHUNK_DATA: {
          const n = Math.min(remaining, end - start);
          if (n > 0) addBody(take(n));
          remaining -= n;
          if (remaining > 0) return undefined;
          if (state === LENGTH) return complete();
          state = CHUNK_DATA_END;
          break;
        }
        case CHUNK_SIZE: {
          const text = line(4096, 'a chunk-size line');
          if (text === undefined) return undefined;
          const match = CHUNK_SIZE_LINE.exec(text);
          if (!match) throw malformed('the response has an invalid chunk-size line');
          remaining = Number.parseInt(match[1]!, 16);
          if (bodyBytes + remaining > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
          state = remaining === 0 ? TRAILERS : CHUNK_DATA;
          break;
        }
        case CHUNK_DATA_END: {
          if (end - start < 2) return undefined;
          if (bytes[start] !== 13 || bytes[start + 1] !== 10) throw malformed('a chunk is longer than its chunk-size says');
          start += 2;
          state = CHUNK_SIZE;
          break;
        }
        case TRAILERS: {
          const text = line(maxHeadBytes, 'a trailer line');
          if (text === undefined) return undefined;
          if (text === '') return complete();
          trailerBytes += text.length + 2;
          if (trailerBytes > maxHeadBytes) throw malformed(`the response trailers are larger than ${maxHeadBytes} bytes`);
          break;
        }
        case UNTIL_CLOSE: {
          if (end > start) addBody(take(end - start));
          return undefined;
        }
      }
    }
  };

  return {
    push(chunk) {
      if (state === DONE) {
        if (chunk.byteLength > 0) reusable = false;
        return result;
      }
      append(chunk);
      return advance();
    },
    end() {
      if (state === DONE) return result!;
      if (state === UNTIL_CLOSE) return complete(true);
      throw new Http1ParseError(
        'truncated',
        state === HEAD && head === undefined && start === end ? 'the connection closed before any response arrived' : 'the connection closed in the middle of the response',
      );
    },
    reusable: () => reusable,
  };
}
