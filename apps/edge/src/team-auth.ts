import { constantTimeEqual, keyHash } from '@cloudagent-phone/server';
import type { TeamConfig } from './config.js';

/**
 * Gives the lower-case hex SHA-256 of a team token: the form tokens are stored in (`pnpm hash-token`).
 * Default: Web Crypto (`keyHash`), which Workers have; in Node it is slower than node:crypto, which
 * node-runtime.ts passes.
 */
export type TokenHasher = (token: string) => Promise<string> | string;

/**
 * The team whose token this is. Every team's hash is compared, whichever matches, so the time taken
 * does not tell an attacker how many teams there are before the right one.
 */
export async function findTeam(teams: readonly TeamConfig[], token: string, hash: TokenHasher = keyHash): Promise<TeamConfig | undefined> {
  const presented = await hash(token);
  let found: TeamConfig | undefined;
  for (const team of teams) {
    for (const hash of team.tokenSha256) {
      if (constantTimeEqual(hash, presented) && !found) found = team;
    }
  }
  return found;
}
