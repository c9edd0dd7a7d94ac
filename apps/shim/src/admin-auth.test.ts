import { describe, expect, it } from 'vitest';
import { presentedToken } from './admin-auth.js';

// The constant-time compare (secretsMatch) and bearer parsing are @cloudagent-phone/server's, tested there.
describe('admin token', () => {
  it('is read from a bearer header or X-Shim-Admin-Token', () => {
    expect(presentedToken(new Headers({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(presentedToken(new Headers({ authorization: 'bearer  abc ' }))).toBe('abc');
    expect(presentedToken(new Headers({ 'x-shim-admin-token': 'def' }))).toBe('def');
    expect(presentedToken(new Headers({ authorization: 'Bearer abc', 'x-shim-admin-token': 'def' }))).toBe('abc');
    expect(presentedToken(new Headers({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(presentedToken(new Headers({ authorization: 'Bearer a b' }))).toBeUndefined();
    expect(presentedToken(new Headers())).toBeUndefined();
  });
});
