import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHttp1ResponseParser, Http1ParseError, type Http1Response } from '../src/http1-response.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Feeds `input` split at `cuts`; returns the response, or what `end()` gives when `close` is set. */
function parse(input: Uint8Array, cuts: number[] = [], close = false): Http1Response | undefined {
  const parser = createHttp1ResponseParser();
  const points = [...new Set(cuts.map((c) => Math.min(c, input.byteLength)))].sort((a, b) => a - b);
  let from = 0;
  let result: Http1Response | undefined;
  for (const to of [...points, input.byteLength]) {
    result = parser.push(input.subarray(from, to)) ?? result;
    from = to;
  }
  return close ? parser.end() : result;
}

function parseError(input: string, close = false): Http1ParseError {
  try {
    parse(bytes(input), [], close);
  } catch (error) {
    if (error instanceof Http1ParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('HTTP/1.1 response parser', () => {
  it('reads a Content-Length response, lower-casing names and joining repeated fields', () => {
    const r = parse(bytes('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 2\r\n\r\n{}'));
    expect(r).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'a=1, b=2', 'content-length': '2' }, body: bytes('{}') });
  });

  it('completes as soon as the length is reached, ignoring anything after it', () => {
    expect(text(parse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA'))!.body)).toBe('abc');
  });

  it('reads a chunked response with extensions and trailers', () => {
    const r = parse(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA \r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n'));
    expect(text(r!.body)).toBe('abc0123456789');
  });

  it('prefers chunked over a Content-Length that is also present', () => {
    expect(text(parse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'))!.body)).toBe('ok');
  });

  it('reads a body that ends with the connection, and only once it has ended', () => {
    const parser = createHttp1ResponseParser();
    expect(parser.push(bytes('HTTP/1.0 200 OK\r\n\r\nsome'))).toBeUndefined();
    expect(parser.push(bytes(' body'))).toBeUndefined();
    expect(text(parser.end().body)).toBe('some body');
  });

  it('skips interim 1xx answers and reads the final one', () => {
    expect(parse(bytes('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n'))).toMatchObject({ status: 201, headers: { 'content-length': '0' } });
  });

  it('gives 204 and 304 no body whatever their headers say', () => {
    expect(parse(bytes('HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n'))?.body.byteLength).toBe(0);
    expect(parse(bytes('HTTP/1.1 304 Not Modified\r\n\r\n'))?.status).toBe(304);
  });

  it('reads header bytes as ISO-8859-1, each byte one code point (0x80-0x9F included, which windows-1252 would change)', () => {
    const head = bytes('HTTP/1.1 200 OK\r\nX-Raw: ');
    const raw = Uint8Array.from([0x80, 0x8d, 0x9f, 0xa0, 0xe9, 0xff]);
    const rest = bytes('\r\nContent-Length: 0\r\n\r\n');
    const input = new Uint8Array([...head, ...raw, ...rest]);
    const expected = String.fromCharCode(...raw);
    expect(parse(input)?.headers['x-raw']).toBe(expected);
    // The same split inside the header, so the head is read from the parser's own buffer.
    expect(parse(input, [head.byteLength + 2])?.headers['x-raw']).toBe(expected);
  });

  it('an answer and the start of unasked bytes in one read: the answer is whole, the connection not reusable', () => {
    const parser = createHttp1ResponseParser();
    const read = bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n');
    const response = parser.push(read);
    read.fill(0x58);
    expect(text(response!.body)).toBe('{}');
    expect(parser.reusable()).toBe(false);
  });

  it('accepts a status line without a reason phrase', () => {
    expect(parse(bytes('HTTP/1.1 502\r\nContent-Length: 0\r\n\r\n'))?.status).toBe(502);
  });

  it.each([
    ['nothing', '', 'the connection closed before any response arrived'],
    ['half a head', 'HTTP/1.1 200 OK\r\nContent-Le', 'the connection closed in the middle of the response'],
    ['a short body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 'in the middle'],
    ['an unfinished chunked body', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', 'in the middle'],
    ['a chunked body without its last chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n', 'in the middle'],
  ])('reports %s before the close as truncated', (_what, input, message) => {
    const error = parseError(input, true);
    expect(error.kind).toBe('truncated');
    expect(error.message).toContain(message);
  });

  it.each([
    ['not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n', 'status line'],
    ['HTTP/2 framing', 'HTTP/2 200\r\n\r\n', 'status line'],
    ['a two-digit status', 'HTTP/1.1 20 OK\r\n\r\n', 'status line'],
    ['a folded header', 'HTTP/1.1 200 OK\r\nA: b\r\n  c\r\n\r\n', 'folds'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nnonsense\r\n\r\n', '"name: value"'],
    ['a space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\n', '"name: value"'],
    ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 'Content-Length'],
    ['a negative length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'Content-Length'],
    ['gzip transfer coding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 'transfer coding'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'chunk-size'],
    ['a chunk longer than announced', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n0\r\n\r\n', 'longer than its chunk-size'],
    ['an upgrade', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', 'switched protocols'],
  ])('refuses %s as malformed', (_what, input, message) => {
    const error = parseError(input);
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain(message);
  });

  it('refuses a head or a body over its limit', () => {
    const huge = createHttp1ResponseParser({ maxHeadBytes: 64 });
    expect(() => huge.push(bytes(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100)}`))).toThrow(/head is larger than 64 bytes/);
    const big = createHttp1ResponseParser({ maxBodyBytes: 4 });
    expect(() => big.push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'))).toThrow(/body is larger than 4 bytes/);
    const chunks = createHttp1ResponseParser({ maxBodyBytes: 4 });
    expect(() => chunks.push(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\n'))).toThrow(/body is larger than 4 bytes/);
    const untilClose = createHttp1ResponseParser({ maxBodyBytes: 4 });
    expect(() => untilClose.push(bytes('HTTP/1.1 200 OK\r\n\r\nabcde'))).toThrow(/body is larger than 4 bytes/);
  });
});

// Any split of the bytes into reads must give the same response: sockets deliver arbitrary pieces.
describe('HTTP/1.1 response parser: keep-alive framing (whether the connection can carry the next request)', () => {
  /** Parses one whole answer; returns it with what the parser says about the connection. */
  function reuse(input: string, options: Parameters<typeof createHttp1ResponseParser>[0] = {}) {
    const parser = createHttp1ResponseParser(options);
    const response = parser.push(bytes(input));
    return { response, reusable: parser.reusable() };
  }

  it('an HTTP/1.1 answer framed by Content-Length or chunked keeps the connection', () => {
    expect(reuse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}').reusable).toBe(true);
    expect(reuse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n').reusable).toBe(true);
    expect(reuse('HTTP/1.1 204 No Content\r\n\r\n').reusable).toBe(true);
  });

  it('is not reusable before the answer is complete', () => {
    const parser = createHttp1ResponseParser();
    expect(parser.push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'))).toBeUndefined();
    expect(parser.reusable()).toBe(false);
  });

  it.each([
    ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}'],
    ['close among other options, in any case', 'HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 2\r\n\r\n{}'],
    ['HTTP/1.0 without keep-alive', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}'],
    ['bytes after the end of the answer (nothing asked for them)', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n'],
  ])('%s: the connection is not reused', (_what, input) => {
    const { response, reusable } = reuse(input);
    expect(response?.status).toBe(200);
    expect(reusable).toBe(false);
  });

  it('HTTP/1.0 with Connection: keep-alive keeps the connection', () => {
    expect(reuse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}').reusable).toBe(true);
  });

  it('bytes arriving after a complete answer make the connection unusable', () => {
    const parser = createHttp1ResponseParser();
    expect(parser.push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'))?.status).toBe(200);
    expect(parser.reusable()).toBe(true);
    parser.push(bytes('HTTP/1.1 408 Request Timeout\r\n\r\n'));
    expect(parser.reusable()).toBe(false);
  });

  it('an answer that ends with the connection is never reusable', () => {
    const parser = createHttp1ResponseParser();
    parser.push(bytes('HTTP/1.1 200 OK\r\n\r\nuntil the end'));
    expect(text(parser.end().body)).toBe('until the end');
    expect(parser.reusable()).toBe(false);
  });

  it('the answer to a HEAD has no body whatever its Content-Length says, and keeps the connection', () => {
    const { response, reusable } = reuse('HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n', { requestMethod: 'HEAD' });
    expect(response).toEqual({ status: 200, headers: { 'content-length': '120' }, body: new Uint8Array(0) });
    expect(reusable).toBe(true);
    // The same bytes answering a GET are an incomplete answer.
    expect(reuse('HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n').response).toBeUndefined();
  });

  it('an interim 100 Continue before the answer does not count as bytes after it', () => {
    expect(reuse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}').reusable).toBe(true);
  });
});

describe('HTTP/1.1 response parser: chunks in a reused buffer', () => {
  it('keeps no hold on a chunk once push returns: every read into one buffer, overwritten each time, gives the same answer', () => {
    const answer = bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Id: 7\r\n\r\n5\r\nDésk\r\n3\r\nabc\r\n0\r\n\r\n');
    for (const size of [1, 2, 3, 5, 8, 13, answer.byteLength]) {
      const parser = createHttp1ResponseParser();
      const reused = new Uint8Array(size);
      let response: Http1Response | undefined;
      for (let from = 0; from < answer.byteLength && response === undefined; from += size) {
        const piece = answer.subarray(from, from + size);
        reused.set(piece);
        response = parser.push(reused.subarray(0, piece.byteLength));
        reused.fill(0x58); // what the next read would write over it
      }
      expect(response?.headers['x-id']).toBe('7');
      expect(text(response!.body)).toBe('Déskabc');
    }
  });
});

describe('HTTP/1.1 response parser: Node Buffers read into one reused buffer', () => {
  it('a whole answer in one Buffer read, and one split over reads: the body is a copy, not a view of the reused memory', () => {
    const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"ok":true}');
    for (const size of [answer.byteLength, 20, 7]) {
      const reused = Buffer.alloc(64);
      const parser = createHttp1ResponseParser();
      let response: Http1Response | undefined;
      for (let from = 0; from < answer.byteLength && response === undefined; from += size) {
        const n = answer.copy(reused, 0, from, Math.min(from + size, answer.byteLength));
        response = parser.push(reused.subarray(0, n));
        reused.fill(0x58);
      }
      expect(text(response!.body)).toBe('{"ok":true}');
    }
  });
});

describe('HTTP/1.1 response parser: properties', () => {
  const body = fc.uint8Array({ maxLength: 600 });
  const headerValue = fc.stringMatching(/^[!-~]([ !-~]{0,20}[!-~])?$/);
  const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/);
  const cuts = fc.array(fc.nat({ max: 1200 }), { maxLength: 20 });

  function head(status: number, headers: [string, string][], framing: string): Uint8Array {
    return bytes(`HTTP/1.1 ${status} Reason\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}${framing}\r\n`);
  }
  const concat = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  };
  const chunked = (payload: Uint8Array, sizes: number[]) => {
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const size of sizes) {
      if (at >= payload.byteLength) break;
      const piece = payload.subarray(at, at + Math.max(1, size));
      parts.push(bytes(`${piece.byteLength.toString(16)}\r\n`), piece, bytes('\r\n'));
      at += piece.byteLength;
    }
    if (at < payload.byteLength) parts.push(bytes(`${(payload.byteLength - at).toString(16)}\r\n`), payload.subarray(at), bytes('\r\n'));
    parts.push(bytes('0\r\n\r\n'));
    return concat(...parts);
  };
  const headers = fc.uniqueArray(fc.tuple(headerName, headerValue), { selector: ([n]) => n, maxLength: 6 });
  const status = fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304);

  it('a Content-Length response parses the same however it is split', () => {
    fc.assert(
      fc.property(status, headers, body, cuts, (code, hs, payload, at) => {
        const r = parse(concat(head(code, hs, `Content-Length: ${payload.byteLength}\r\n`), payload), at);
        expect(r?.status).toBe(code);
        expect(r?.body).toEqual(payload);
        for (const [n, v] of hs) expect(r?.headers[n]).toBe(v);
      }),
    );
  });

  it('a chunked response gives back its payload whatever the chunk sizes and the splits', () => {
    fc.assert(
      fc.property(status, headers, body, fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 8 }), cuts, (code, hs, payload, sizes, at) => {
        const r = parse(concat(head(code, hs, 'Transfer-Encoding: chunked\r\n'), chunked(payload, sizes)), at);
        expect(r?.body).toEqual(payload);
      }),
    );
  });

  it('a close-delimited response gives back everything until the end', () => {
    fc.assert(
      fc.property(status, body, cuts, (code, payload, at) => {
        expect(parse(concat(head(code, [], ''), payload), at, true)?.body).toEqual(payload);
      }),
    );
  });

  it('any bytes at all either parse or fail with an Http1ParseError, never anything else', () => {
    const garbage = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.stringMatching(/^HTTP\/1\.1 [0-9]{3}[ -~\r\n]{0,200}$/).map(bytes));
    fc.assert(
      fc.property(garbage, cuts, fc.boolean(), (input, at, close) => {
        try {
          parse(input, at, close);
        } catch (error) {
          expect(error).toBeInstanceOf(Http1ParseError);
        }
      }),
    );
  });
});
