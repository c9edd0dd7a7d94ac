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
  /** Feeds bytes as they arrive; returns the response once it is complete (later bytes are ignored). */
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

type State =
  | { at: 'head' }
  | { at: 'length'; remaining: number }
  | { at: 'chunk-size' }
  | { at: 'chunk-data'; remaining: number }
  | { at: 'chunk-data-end' }
  | { at: 'trailers' }
  | { at: 'until-close' }
  | { at: 'done' };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d\d)(?: [^\r\n]*)?$/;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,15})[\t ]*(?:;.*)?$/;
const DIGITS = /^\d{1,15}$/;

/** Bytes received but not consumed yet: appended at the end, consumed from the front. */
class ByteQueue {
  #bytes = new Uint8Array(1024);
  #start = 0;
  #end = 0;

  get length(): number {
    return this.#end - this.#start;
  }

  append(chunk: Uint8Array): void {
    if (this.#end + chunk.byteLength > this.#bytes.byteLength) {
      const needed = this.length + chunk.byteLength;
      const next = needed > this.#bytes.byteLength / 2 ? new Uint8Array(Math.max(needed * 2, 1024)) : this.#bytes;
      next.set(this.#bytes.subarray(this.#start, this.#end), 0);
      this.#bytes = next;
      this.#end -= this.#start;
      this.#start = 0;
    }
    this.#bytes.set(chunk, this.#end);
    this.#end += chunk.byteLength;
  }

  /** Offset (from the front) of the first CRLF at or after `from`, or -1. */
  indexOfCrlf(from = 0): number {
    for (let i = this.#start + from; i + 1 < this.#end; i++) {
      if (this.#bytes[i] === 13 && this.#bytes[i + 1] === 10) return i - this.#start;
    }
    return -1;
  }

  /** Offset of the first CRLFCRLF at or after `from`, or -1. */
  indexOfBlankLine(from = 0): number {
    for (let i = this.#start + from; i + 3 < this.#end; i++) {
      if (this.#bytes[i] === 13 && this.#bytes[i + 1] === 10 && this.#bytes[i + 2] === 13 && this.#bytes[i + 3] === 10) return i - this.#start;
    }
    return -1;
  }

  /** Removes and returns `n` bytes (a copy). */
  take(n: number): Uint8Array {
    const out = this.#bytes.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  skip(n: number): void {
    this.#start += n;
  }

  /** Removes `n` bytes and returns them as ISO-8859-1 text (header bytes). */
  takeLatin1(n: number): string {
    let text = '';
    for (let i = this.#start; i < this.#start + n; i++) text += String.fromCharCode(this.#bytes[i]!);
    this.#start += n;
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

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const statusMatch = STATUS_LINE.exec(lines[0]!);
  if (!statusMatch) throw malformed('the response does not start with an HTTP/1.x status line');
  // No prototype: a header named `constructor` is a header.
  const headers: Record<string, string> = Object.create(null);
  for (const line of lines.slice(1)) {
    if (line.startsWith(' ') || line.startsWith('\t')) throw malformed('the response folds a header over two lines (obsolete, refused)');
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) throw malformed('the response has a header line that is not "name: value"');
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).replace(/^[\t ]+|[\t ]+$/g, '');
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  return { status: Number(statusMatch[1]), http11: lines[0]!.charCodeAt(7) === 0x31, headers };
}

/** RFC 9112 9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when told to keep alive. */
function persists(head: Head): boolean {
  const connection = head.headers.connection;
  const options = connection === undefined ? [] : connection.split(',').map((option) => option.trim().toLowerCase());
  return head.http11 ? !options.includes('close') : options.includes('keep-alive');
}

type Framing = { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'until-close' };

function framingOf(head: Head, requestMethod: string): Framing {
  if (head.status === 204 || head.status === 304 || requestMethod === 'HEAD') return { kind: 'length', length: 0 };
  const transferEncoding = head.headers['transfer-encoding'];
  if (transferEncoding !== undefined) {
    // Transfer-Encoding wins over Content-Length (RFC 9112 6.3). Only chunked is asked for (the
    // request sends no TE), and a body whose length cannot be known is not guessed at.
    const codings = transferEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
    if (codings.length === 1 && codings[0] === 'chunked') return { kind: 'chunked' };
    throw malformed('the response uses a transfer coding other than chunked');
  }
  const contentLength = head.headers['content-length'];
  if (contentLength !== undefined) {
    const values = new Set(contentLength.split(',').map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || only === undefined || !DIGITS.test(only)) throw malformed('the response has an invalid or conflicting Content-Length');
    return { kind: 'length', length: Number(only) };
  }
  return { kind: 'until-close' };
}

export function createHttp1ResponseParser(options: Http1ParserOptions = {}): Http1ResponseParser {
  const maxHeadBytes = options.maxHeadBytes ?? 64 * 1024;
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const requestMethod = options.requestMethod ?? 'GET';
  const queue = new ByteQueue();
  const bodyParts: Uint8Array[] = [];
  let bodyBytes = 0;
  let head: Head | undefined;
  let state: State = { at: 'head' };
  // How far the current line search has looked, so bytes arriving one at a time are scanned once.
  let scanned = 0;
  let trailerBytes = 0;
  let result: Http1Response | undefined;
  let reusable = false;

  const addBody = (bytes: Uint8Array) => {
    bodyBytes += bytes.byteLength;
    if (bodyBytes > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
    bodyParts.push(bytes);
  };

  const complete = (closing = false): Http1Response => {
    state = { at: 'done' };
    reusable = !closing && queue.length === 0 && persists(head!);
    const body = new Uint8Array(bodyBytes);
    let offset = 0;
    for (const part of bodyParts) {
      body.set(part, offset);
      offset += part.byteLength;
    }
    result = { status: head!.status, headers: head!.headers, body };
    return result;
  };

  /** Takes one CRLF-terminated line, or returns undefined until it has arrived. */
  const line = (limit: number, what: string): string | undefined => {
    const at = queue.indexOfCrlf(Math.max(0, scanned - 1));
    if (at < 0) {
      scanned = queue.length;
      if (queue.length > limit) throw malformed(`${what} is longer than ${limit} bytes`);
      return undefined;
    }
    scanned = 0;
    const text = queue.takeLatin1(at);
    queue.skip(2);
    return text;
  };

  // Runs the state machine as far as the buffered bytes allow.
  const advance = (): Http1Response | undefined => {
    for (;;) {
      switch (state.at) {
        case 'done':
          return result;
        case 'head': {
          const at = queue.indexOfBlankLine(Math.max(0, scanned - 3));
          if (at < 0) {
            scanned = queue.length;
            if (queue.length > maxHeadBytes) throw malformed(`the response head is larger than ${maxHeadBytes} bytes`);
            return undefined;
          }
          if (at > maxHeadBytes) throw malformed(`the response head is larger than ${maxHeadBytes} bytes`);
          scanned = 0;
          const parsed = parseHead(queue.takeLatin1(at));
          queue.skip(4);
          if (parsed.status === 101) throw malformed('the server switched protocols, which nothing asked for');
          if (parsed.status < 200) break; // an interim answer (100 Continue, 103 Early Hints): the real one follows
          head = parsed;
          const framing = framingOf(parsed, requestMethod);
          if (framing.kind === 'length' && framing.length > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
          state = framing.kind === 'length' ? { at: 'length', remaining: framing.length } : framing.kind === 'chunked' ? { at: 'chunk-size' } : { at: 'until-close' };
          break;
        }
        case 'length': {
          const n = Math.min(state.remaining, queue.length);
          if (n > 0) addBody(queue.take(n));
          state.remaining -= n;
          if (state.remaining > 0) return undefined;
          return complete();
        }
        case 'chunk-size': {
          const text = line(4096, 'a chunk-size line');
          if (text === undefined) return undefined;
          const match = CHUNK_SIZE.exec(text);
          if (!match) throw malformed('the response has an invalid chunk-size line');
          const size = Number.parseInt(match[1]!, 16);
          if (bodyBytes + size > maxBodyBytes) throw malformed(`the response body is larger than ${maxBodyBytes} bytes`);
          state = size === 0 ? { at: 'trailers' } : { at: 'chunk-data', remaining: size };
          break;
        }
        case 'chunk-data': {
          const n = Math.min(state.remaining, queue.length);
          if (n > 0) addBody(queue.take(n));
          state.remaining -= n;
          if (state.remaining > 0) return undefined;
          state = { at: 'chunk-data-end' };
          break;
        }
        case 'chunk-data-end': {
          if (queue.length < 2) return undefined;
          const crlf = queue.take(2);
          if (crlf[0] !== 13 || crlf[1] !== 10) throw malformed('a chunk is longer than its chunk-size says');
          state = { at: 'chunk-size' };
          break;
        }
        case 'trailers': {
          const text = line(maxHeadBytes, 'a trailer line');
          if (text === undefined) return undefined;
          if (text === '') return complete();
          trailerBytes += text.length + 2;
          if (trailerBytes > maxHeadBytes) throw malformed(`the response trailers are larger than ${maxHeadBytes} bytes`);
          break;
        }
        case 'until-close': {
          if (queue.length > 0) addBody(queue.take(queue.length));
          return undefined;
        }
      }
    }
  };

  return {
    push(chunk) {
      if (state.at === 'done') {
        if (chunk.byteLength > 0) reusable = false;
        return result;
      }
      queue.append(chunk);
      return advance();
    },
    end() {
      if (state.at === 'done') return result!;
      if (state.at === 'until-close') return complete(true);
      throw new Http1ParseError(
        'truncated',
        state.at === 'head' && head === undefined && queue.length === 0 ? 'the connection closed before any response arrived' : 'the connection closed in the middle of the response',
      );
    },
    reusable: () => reusable,
  };
}
