import { describe, expect, it } from 'vitest';
import { encodeHttp1Request, http1RequestHead, RequestEncodeError } from '../src/http1-request.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (request: Parameters<typeof encodeHttp1Request>[0]) => text(encodeHttp1Request(request, new URL(request.url)));

describe('encodeHttp1Request', () => {
  it('writes a GET with a JSON body: origin-form target, Host, Connection: close, Content-Length in bytes', () => {
    const body = '{"action":"get","phoneName":"Désk"}';
    expect(encode({ method: 'GET', url: 'https://in1-ccaas-api.ozonetel.com/ca_apis/PhoneManageV2?x=%2B1#frag', headers: { 'content-type': 'application/json', apiKey: 'k' }, body })).toBe(
      'GET /ca_apis/PhoneManageV2?x=%2B1 HTTP/1.1\r\nHost: in1-ccaas-api.ozonetel.com\r\nConnection: close\r\ncontent-type: application/json\r\napiKey: k\r\n' +
        `Content-Length: ${new TextEncoder().encode(body).byteLength}\r\n\r\n${body}`,
    );
  });

  it('asks to keep the connection alive when told to (the keep-alive transport), and owns that header still', () => {
    const out = text(encodeHttp1Request({ method: 'POST', url: 'http://h/', headers: { connection: 'close' }, body: 'ab' }, new URL('http://h/'), { connection: 'keep-alive' }));
    expect(out).toBe('POST / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nab');
  });

  it('writes header values as ISO-8859-1 (one byte a char) and the body as UTF-8, ASCII or not', () => {
    const bytes = encodeHttp1Request({ method: 'POST', url: 'http://h/', headers: { 'x-desk': 'Désk' }, body: '{"n":"é€"}' }, new URL('http://h/'));
    const head = 'POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nx-desk: D\u00e9sk\r\nContent-Length: 13\r\n\r\n';
    expect([...bytes.subarray(0, head.length)]).toEqual([...head].map((c) => c.charCodeAt(0)));
    expect(new TextDecoder().decode(bytes.subarray(head.length))).toBe('{"n":"é€"}');
    expect(bytes.byteLength).toBe(head.length + 13);
  });

  it('keeps a non-default port in Host and says Content-Length: 0 for a POST without a body', () => {
    expect(encode({ method: 'POST', url: 'http://127.0.0.1:8080', headers: {} })).toBe('POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  it('sends a GET without a body without a length', () => {
    expect(encode({ method: 'GET', url: 'http://h/p', headers: {} })).toBe('GET /p HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
  });

  it('owns the framing: a caller’s Host, Connection, Content-Length or Transfer-Encoding is not written', () => {
    const out = encode({ method: 'POST', url: 'http://h/', headers: { Host: 'evil', connection: 'keep-alive', 'Content-Length': '999', 'transfer-encoding': 'chunked' }, body: 'ab' });
    expect(out).toBe('POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab');
  });

  it.each([
    ['a line break in a value', { apiKey: 'k\r\nX-Injected: 1' }, 'the header "apiKey" has a value with a line break'],
    ['a bare LF in a value', { a: 'x\ny' }, 'the header "a" has a value with a line break'],
    ['a NUL in a value', { a: 'x\u0000' }, 'the header "a"'],
    ['a character beyond ISO-8859-1', { a: '☎' }, 'the header "a"'],
    ['a name with a space', { 'bad name': 'v' }, 'is not an HTTP token'],
  ])('refuses %s, naming the header but never its value', (_what, headers, message) => {
    let error: unknown;
    try {
      encode({ method: 'POST', url: 'http://h/', headers, body: '{}' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestEncodeError);
    expect((error as Error).message).toContain(message);
    for (const value of Object.values(headers)) if (value.length > 2) expect((error as Error).message).not.toContain(value);
  });

  it('refuses a method that is not a token', () => {
    expect(() => encode({ method: 'GE T' as 'GET', url: 'http://h/', headers: {} })).toThrow(RequestEncodeError);
  });
});

describe('http1RequestHead: the head of the request before, used again only when nothing differs', () => {
  const url = new URL('http://h/ca_apis/PhoneManageV2');
  const head = (headers: Record<string, string>, options?: { connection?: 'close' | 'keep-alive' }, at = url, method: 'GET' | 'POST' = 'POST') =>
    http1RequestHead({ method, url: at.href, headers, body: '{}' }, at, 2, options);

  it('a new token, key, header or header order, another URL, method or connection: each gives its own head', () => {
    const first = head({ Authorization: 'Bearer one', 'Content-Type': 'application/json' });
    expect(first).toContain('Authorization: Bearer one\r\n');
    expect(head({ Authorization: 'Bearer one', 'Content-Type': 'application/json' })).toBe(first);
    expect(head({ Authorization: 'Bearer two', 'Content-Type': 'application/json' })).toContain('Authorization: Bearer two\r\n');
    expect(head({ Authorization: 'Bearer one', 'Content-Type': 'application/json', 'X-Extra': '1' })).toContain('X-Extra: 1\r\n');
    expect(head({ Authorization: 'Bearer one' })).not.toContain('Content-Type');
    expect(head({ 'Content-Type': 'application/json', Authorization: 'Bearer one' })).toMatch(/Content-Type: application\/json\r\nAuthorization/);
    expect(head({ Authorization: 'Bearer one' }, { connection: 'keep-alive' })).toContain('Connection: keep-alive\r\n');
    expect(head({ Authorization: 'Bearer one' }, undefined, new URL('http://other/x'))).toMatch(/^POST \/x HTTP\/1\.1\r\nHost: other\r\n/);
    expect(head({ Authorization: 'Bearer one' }, undefined, url, 'GET')).toMatch(/^GET /);
  });

  it('the same headers object changed between two requests (a token replaced in place) gives the new value', () => {
    const headers: Record<string, string> = { Authorization: 'Bearer old' };
    expect(head(headers)).toContain('Bearer old');
    headers.Authorization = 'Bearer new';
    expect(head(headers)).toContain('Bearer new');
    expect(head(headers)).not.toContain('Bearer old');
  });

  it('a header the request before had checked is checked again when it changes', () => {
    head({ 'x-ok': 'fine' });
    expect(() => head({ 'x-ok': 'line\r\nbreak' })).toThrow(RequestEncodeError);
  });
});
