import { describe, expect, it } from 'vitest';
import { encodeTokenRequest, encodeV2 } from './encode-v2.js';
import { encodeV1 } from './encode-v1.js';
import { REDACTED, redact } from './redact.js';

// A canary key with the characters that change under every encoding (+ / space-free, ! * ' ( )).
const CANARY = "CANARY-KEY+9/x!*'()z";
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOjF9.CANARYsig';
const leaks = (x: unknown) => {
  const text = typeof x === 'string' ? x : JSON.stringify(x, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause } : v));
  return text.includes('CANARY');
};

describe('redact: the forms a secret takes, with no secret known (patterns only)', () => {
  it.each([
    ['Authorization: Basic', 'Authorization: Basic Q0FOQVJZOmtleQ==', 'Authorization: [REDACTED]'],
    ['Authorization: Token', 'authorization: Token CANARYtoken123', 'authorization: [REDACTED]'],
    ['Authorization: raw token', 'Authorization: CANARYrawtoken', 'Authorization: [REDACTED]'],
    ['Proxy-Authorization', 'Proxy-Authorization: Bearer CANARY123', 'Proxy-Authorization: [REDACTED]'],
    ['x-api-key header', 'x-api-key: CANARYkey', 'x-api-key: [REDACTED]'],
    ['form body', 'apiKey=CANARYkey&userName=u', 'apiKey=[REDACTED]&userName=u'],
    ['token form field at the start', 'token=CANARYtok&x=1', 'token=[REDACTED]&x=1'],
    ['URL-encoded URL inside a URL', 'next=https%3A%2F%2Fh%2Fp.php%3Faction%3Dedit%26apiKey%3DCANARY%252Bk%26userName%3Du', '%26apiKey%3D[REDACTED]%26userName%3Du'],
    ['JSON', '{"apiKey":"CANARY\\"k","userName":"u"}', '{"apiKey":"[REDACTED]","userName":"u"}'],
    ['JSON x-api-key', '{"x-api-key": "CANARYk"}', '{"x-api-key": "[REDACTED]"}'],
    ['JSON inside a JSON string', '{"log":"{\\"apiKey\\":\\"CANARYk\\",\\"userName\\":\\"u\\"}"}', '\\"apiKey\\":\\"[REDACTED]\\",\\"userName\\":\\"u\\"'],
    ['a JWT in prose', `the token ${TOKEN} expired`, `the token ${REDACTED} expired`],
  ])('%s', (_name, input, expected) => {
    const out = redact(input);
    expect(out).toContain(expected);
    expect(leaks(out)).toBe(false);
  });

  it('does not mangle prose that names the basic scheme', () => {
    expect(redact('basic authentication is the default')).toBe('basic authentication is the default');
  });
});

describe('redact: known secrets in any encoding', () => {
  it.each([
    ['raw', CANARY],
    ['encodeURIComponent', encodeURIComponent(CANARY)],
    ['lower-case percent escapes', encodeURIComponent(CANARY).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['URLSearchParams (form encoding)', new URLSearchParams({ k: CANARY }).toString().slice(2)],
    ["PHP's urlencode (* escaped too)", encodeURIComponent(CANARY).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)],
    ['JSON-escaped', JSON.stringify(CANARY).slice(1, -1)],
  ])('%s', (_name, form) => {
    expect(leaks(redact(`before ${form} after`, { secrets: [CANARY] }))).toBe(false);
  });
});

describe('redact: structures', () => {
  it('header arrays: [name, value] pairs and Node rawHeaders', () => {
    const out = redact({ pairs: [['apiKey', CANARY], ['Authorization', `Bearer ${TOKEN}`], ['accept', 'x']], raw: ['apiKey', CANARY, 'host', 'h'] });
    expect(out).toEqual({ pairs: [['apiKey', REDACTED], ['Authorization', REDACTED], ['accept', 'x']], raw: ['apiKey', REDACTED, 'host', 'h'] });
  });

  it('header values given as arrays, and secret-named fields in any style', () => {
    expect(redact({ apiKey: [CANARY, CANARY], 'X-Api-Key': CANARY, accessToken: TOKEN, csrf_token: 'c', clientSecret: 's', userName: 'u', hasToken: true })).toEqual({
      apiKey: REDACTED,
      'X-Api-Key': REDACTED,
      accessToken: REDACTED,
      csrf_token: REDACTED,
      clientSecret: REDACTED,
      userName: 'u',
      hasToken: true,
    });
  });

  it('Headers, Map, URL and URLSearchParams objects', () => {
    const url = new URL(encodeV1({ action: 'delete', phoneNumber: '+9198', phoneName: 'D' }, { userName: 'u', apiKey: CANARY }).url);
    const out = redact({ h: new Headers({ apiKey: CANARY }), m: new Map([['authorization', `Bearer ${TOKEN}`]]), url, q: url.searchParams });
    expect(leaks(out)).toBe(false);
    expect(out.h).toEqual({ apikey: REDACTED });
    expect(String(out.url)).toContain('userName=u');
  });

  it('an error: message, stack, cause chain, aggregated errors and own fields, same class', () => {
    class WireError extends Error {
      code = 'ECONNRESET';
      url = `https://h/CAServices/PhoneManageV2.php?action=edit&apiKey=${CANARY}`;
      config = { headers: { apiKey: CANARY } };
    }
    const inner = new TypeError(`Failed to parse URL from https://h/p?apiKey=${encodeURIComponent(CANARY)}&userName=u`);
    const error = new WireError(`request to https://h/p?apiKey=${CANARY} failed`, { cause: new AggregateError([inner], `with ${CANARY}`) });
    const out = redact(error, { secrets: [CANARY] });
    expect(out).toBeInstanceOf(WireError);
    expect(out).not.toBe(error);
    expect(out.code).toBe('ECONNRESET');
    expect(leaks(out)).toBe(false);
    expect(leaks(out.stack)).toBe(false);
    const cause = out.cause as AggregateError;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(leaks(cause.message)).toBe(false);
    expect(leaks((cause.errors[0] as Error).message)).toBe(false);
    expect(error.message).toContain(CANARY); // the input is untouched
  });

  it('a DOMException (a timeout reason) becomes a readable plain error', () => {
    const out = redact(new DOMException(`no answer for ${CANARY}`, 'TimeoutError'), { secrets: [CANARY] });
    expect(out.name).toBe('TimeoutError');
    expect(out.message).toBe(`no answer for ${REDACTED}`);
  });

  it('a value shared by two fields is not a cycle', () => {
    const shared = { phoneName: 'Sales' };
    expect(redact({ a: shared, b: shared })).toEqual({ a: shared, b: shared });
  });
});

describe('the encoders never put the key where a URL or body is shown', () => {
  it('v2 requests and the token request keep it in the header only', () => {
    for (const action of ['create', 'edit', 'delete', 'get'] as const) {
      const r = encodeV2({ action, phoneNumber: '+9198', phoneName: 'D', phoneNumberNew: '+9199' }, { userName: 'u', apiKey: CANARY });
      expect(leaks(r.url) || leaks(r.body)).toBe(false);
      expect(leaks(redact(r))).toBe(false);
    }
    const t = encodeTokenRequest({ userName: 'u', apiKey: CANARY });
    expect(leaks(t.url) || leaks(t.body)).toBe(false);
    expect(leaks(redact(t))).toBe(false);
  });

  it('a v1 request is clean once redacted, with no secret known', () => {
    expect(leaks(redact(encodeV1({ action: 'delete', phoneNumber: '+9198', phoneName: 'D' }, { userName: 'u', apiKey: CANARY })))).toBe(false);
  });
});
