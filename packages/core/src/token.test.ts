import { describe, expect, it } from 'vitest';
import { isAmbiguous } from './outcome.js';
import { isTokenRejection, parseTokenResponse } from './token.js';
import { classify } from './classify.js';
import type { Outcome, PhoneRecord } from './outcome.js';

/** Reads the fields some kinds carry, across the union. */
const fields = (o: Outcome): Partial<{ field: string; data: PhoneRecord; retryAfterMs: number }> => o as never;

describe('parseTokenResponse', () => {
  it('reads a token', () => {
    expect(parseTokenResponse({ status: 200, body: '{"token": "eyJabc", "message": ""}' })).toEqual({ ok: true, token: 'eyJabc' });
  });
  it.each([
    ['{"status": "false", "message": "UserName is null", "data": null}', 'validation_error'],
    ['{"status": "false", "message": "Invalid userName or apiKey", "data": null}', 'auth_error'],
    ['{"token": "", "message": ""}', 'server_error'],
    ['<html>', 'server_error'],
  ])('reports a failure %s', (body, kind) => {
    const r = parseTokenResponse({ status: 200, body });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.outcome.kind).toBe(kind);
  });
  it('knows which answers mean the token itself is bad', () => {
    const env = (message: string) => classify({ status: 200, body: JSON.stringify({ status: 'false', message, data: null }) }, 'edit');
    expect(isTokenRejection(env('Token Expired'))).toBe(true);
    expect(isTokenRejection(env('Invalid Token'))).toBe(true);
    expect(isTokenRejection(env('Invalid userName or apiKey'))).toBe(false);
  });
});

describe('parseTokenResponse: the envelope as it may arrive', () => {
  it.each([
    ['a BOM and CRLF around it', '\uFEFF{"token":"eyJabc.def.ghi","message":""}\r\n'],
    ['extra fields and a status', '{"status":"true","token":" eyJabc.def.ghi ","message":"","expiresIn":3600}'],
  ])('reads the token: %s', (_name, body) => {
    expect(parseTokenResponse({ status: 200, body })).toEqual({ ok: true, token: 'eyJabc.def.ghi' });
  });

  it.each([
    ['status false as a boolean', 200, '{"status":false,"message":"Token Expired","data":null}', 'auth_error', 'token'],
    ['HTTP 401 with the envelope', 401, '{"status":"false","message":"Invalid userName or apiKey","data":null}', 'auth_error', undefined],
    ['HTTP 401 missing credentials', 401, '{"status":"false","message":"Missing userName or apiKey"}', 'auth_error', undefined],
    ['empty-token message', 200, '{"status":"false","message":"Token Should Not be Null or Empty.","data":null}', 'auth_error', 'token'],
    ['a 429 with a token-looking body', 429, '{"token":"eyJabc.def.ghi"}', 'rate_limited', undefined],
    ['a 500', 500, '', 'server_error', undefined],
  ])('refuses %s', (_name, status, body, kind, field) => {
    const r = parseTokenResponse({ status, body });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.outcome.kind).toBe(kind);
      expect(fields(r.outcome).field).toBe(field);
      // A token request changes no phone number: nothing about it is ever ambiguous.
      expect(isAmbiguous(r.outcome)).toBe(false);
    }
  });

  it('never throws on a body that is not text', () => {
    expect(parseTokenResponse({ status: 200, body: undefined as unknown as string }).ok).toBe(false);
  });
});
