import { keyHash } from './key-hash.js';

/**
 * `Authorization: Bearer <token>` → the token, or undefined when the header is missing or is not
 * one bearer credential: the scheme in any case, then one token of visible ASCII (RFC 6750's
 * characters and more, never a space), at most 512 characters.
 */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*Bearer[ ]+([\x21-\x7e]{1,512})\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Whether two strings are equal, without an early exit: the time taken says nothing about where
 * they differ. Their lengths still show, so compare values of a fixed length (hashes); to compare
 * secrets as presented, use `secretsMatch`.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/**
 * Whether a presented secret is the expected one, in time that depends on neither where they
 * differ nor how long either is: both are hashed (SHA-256 over Web Crypto, so the same code runs on
 * Node and Workers) and the hashes compared whole. Nothing presented never matches.
 */
export async function secretsMatch(presented: string | undefined, expected: string): Promise<boolean> {
  if (presented === undefined) return false;
  const [a, b] = await Promise.all([keyHash(presented), keyHash(expected)]);
  return constantTimeEqual(a, b);
}
