import { createHash } from 'node:crypto';
import { keyHash } from '@cloudagent-phone/server';
import { describe, expect, it } from 'vitest';
import { TEAM_TOKEN_HASHES, TEAM_TOKENS } from '../test/suite/fixtures.js';
import type { TeamConfig } from './config.js';
import { findTeam } from './team-auth.js';

// Bearer parsing and the constant-time compare are @cloudagent-phone/server's, tested there.
const teams: TeamConfig[] = (Object.keys(TEAM_TOKENS) as (keyof typeof TEAM_TOKENS)[]).map((name) => ({
  name,
  tokenSha256: [TEAM_TOKEN_HASHES[name]],
  userNames: [],
  rateLimitPerMinute: 1,
}));

describe('team auth', () => {
  it("the fixtures' hashes are the SHA-256 of their tokens, by Web Crypto and node:crypto alike", async () => {
    for (const name of Object.keys(TEAM_TOKENS) as (keyof typeof TEAM_TOKENS)[]) {
      expect(await keyHash(TEAM_TOKENS[name])).toBe(TEAM_TOKEN_HASHES[name]);
      expect(createHash('sha256').update(TEAM_TOKENS[name]).digest('hex')).toBe(TEAM_TOKEN_HASHES[name]);
    }
  });

  it('finds the team whose token it is, and no team for anything else', async () => {
    expect((await findTeam(teams, TEAM_TOKENS.beta))?.name).toBe('beta');
    expect(await findTeam(teams, `${TEAM_TOKENS.beta}x`)).toBeUndefined();
    expect(await findTeam(teams, TEAM_TOKEN_HASHES.beta)).toBeUndefined();
  });

  it('while a token is rotated, the old and the new both name the team', async () => {
    const rotating: TeamConfig[] = [{ name: 'alpha', tokenSha256: [TEAM_TOKEN_HASHES.alpha, TEAM_TOKEN_HASHES.gamma], userNames: [], rateLimitPerMinute: 1 }];
    expect((await findTeam(rotating, TEAM_TOKENS.alpha))?.name).toBe('alpha');
    expect((await findTeam(rotating, TEAM_TOKENS.gamma))?.name).toBe('alpha');
    expect(await findTeam(rotating, TEAM_TOKENS.beta)).toBeUndefined();
  });

  it('a hasher passed in (node:crypto on Node) is the one used', async () => {
    const seen: string[] = [];
    const hasher = (token: string) => (seen.push(token), createHash('sha256').update(token).digest('hex'));
    expect((await findTeam(teams, TEAM_TOKENS.alpha, hasher))?.name).toBe('alpha');
    expect(seen).toEqual([TEAM_TOKENS.alpha]);
  });
});
