import { describe, expect, it } from 'vitest';
import { createHttp1ResponseParser } from '../../src/http1-response.js';

// The parser's runtime-dependent part, inside workerd: heads are decoded with the runtime's
// TextDecoder where it keeps every byte as the same code point, and a byte at a time where it does
// not (WHATWG's "latin1" is windows-1252) or where there is none. Either way, ISO-8859-1.
describe('the HTTP/1.1 response parser inside workerd', () => {
  const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('reads header bytes 0x80-0xFF as the same code points, in one read and split, and copies what it keeps', () => {
    const raw = String.fromCharCode(0x80, 0x8d, 0x9f, 0xa0, 0xe9, 0xff);
    const answer = bytes(`HTTP/1.1 200 OK\r\nX-Raw: ${raw}\r\nContent-Length: 2\r\n\r\n{}`);
    for (const size of [answer.byteLength, 20, 3]) {
      const parser = createHttp1ResponseParser();
      const reused = new Uint8Array(size);
      let response;
      for (let from = 0; from < answer.byteLength && response === undefined; from += size) {
        const piece = answer.subarray(from, from + size);
        reused.set(piece);
        response = parser.push(reused.subarray(0, piece.byteLength));
        reused.fill(0x58);
      }
      expect(response?.headers['x-raw']).toBe(raw);
      expect(new TextDecoder().decode(response!.body)).toBe('{}');
    }
  });
});
