import { describe, expect, it } from 'vitest';
import { bearerToken, constantTimeEqual, secretsMatch } from './bearer.js';
import { keyHash } from './key-hash.js';

describe('bearerToken', () => {
  it('reads only a well-formed bearer header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('  Bearer abc  ')).toBe('abc');
    expect(bearerToken('BEARER a~b+c/d=')).toBe('a~b+c/d=');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Bearerabc')).toBeUndefined();
    expect(bearerToken(`Bearer ${'x'.repeat(513)}`)).toBeUndefined();
    expect(bearerToken(`Bearer ${'x'.repeat(512)}`)).toBe('x'.repeat(512));
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('compares whole strings', () => {
    expect(constantTimeEqual('abcd', 'abcd')).toBe(true);
    expect(constantTimeEqual('abcd', 'abce')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });
});

describe('secretsMatch', () => {
  it('matches only the exact secret, whatever the lengths', async () => {
    const token = 'admin-token-0123456789';
    expect(await secretsMatch(token, token)).toBe(true);
    expect(await secretsMatch(`${token}x`, token)).toBe(false);
    expect(await secretsMatch(token.slice(0, -1), token)).toBe(false);
    expect(await secretsMatch('', token)).toBe(false);
    expect(await secretsMatch(undefined, token)).toBe(false);
  });
});

describe('keyHash', () => {
  it('is SHA-256 as lower-case hex', async () => {
    expect(await keyHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await keyHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
