import { describe, expect, it } from 'vitest';
import { presentedToken, tokensMatch } from './admin-auth.js';

describe('admin token', () => {
  it('matches only the exact token, whatever the lengths', async () => {
    const token = 'admin-token-0123456789';
    expect(await tokensMatch(token, token)).toBe(true);
    expect(await tokensMatch(`${token}x`, token)).toBe(false);
    expect(await tokensMatch(token.slice(0, -1), token)).toBe(false);
    expect(await tokensMatch('', token)).toBe(false);
    expect(await tokensMatch(undefined, token)).toBe(false);
  });

  it('is read from a bearer header or X-Shim-Admin-Token', () => {
    expect(presentedToken(new Headers({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(presentedToken(new Headers({ 'x-shim-admin-token': 'def' }))).toBe('def');
    expect(presentedToken(new Headers({ authorization: 'Basic abc' }))).toBeUndefined();
  });
});
