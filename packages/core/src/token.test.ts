import { describe, expect, it } from 'vitest';
import { isTokenRejection, parseTokenResponse } from './token.js';
import { classify } from './classify.js';

describe('parseTokenResponse', () => {
  it('reads a token', () => {
    expect(parseTokenResponse({ status: 200, body: '{"token": "eyJabc", "message": ""}' })).toEqual({ ok: true, token: 'eyJabc' });
  });
  it.each([
    ['{"status": "false", "message": "UserName is null", "data": null}', 'validation_error'],
    ['{"status": "false", "message": "Invalid userName or apiKey", "data": null}', 'auth_error'],
    ['{"token": "", "message": ""}', 'unknown'],
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
