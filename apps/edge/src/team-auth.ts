import type { TeamConfig } from './config.js';

/** Gives the lower-case hex SHA-256 of a team token: the form tokens are stored in (`pnpm hash-token`). */
export type TokenHasher = (token: string) => Promise<string> | string;

/** With Web Crypto, which Workers have. (In Node it is slower than node:crypto, which node-runtime.ts passes.) */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Equal-length strings compared without an early exit, so the time taken says nothing about where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/** `Authorization: Bearer <token>` → the token, or undefined when the header is missing or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]{1,512})\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The team whose token this is. Every team's hash is compared, whichever matches, so the time taken
 * does not tell an attacker how many teams there are before the right one.
 */
export async function findTeam(teams: readonly TeamConfig[], token: string, hash: TokenHasher = sha256Hex): Promise<TeamConfig | undefined> {
  const presented = await hash(token);
  let found: TeamConfig | undefined;
  for (const team of teams) {
    for (const hash of team.tokenSha256) {
      if (constantTimeEqual(hash, presented) && !found) found = team;
    }
  }
  return found;
}
