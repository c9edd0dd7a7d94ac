import { describe, expect, it } from 'vitest';
import { TEAM_TOKEN_HASHES, TEAM_TOKENS } from '../test/suite/fixtures.js';
import type { TeamConfig } from './config.js';
import { bearerToken, constantTimeEqual, findTeam, sha256Hex } from './team-auth.js';

const teams: TeamConfig[] = (Object.keys(TEAM_TOKENS) as (keyof typeof TEAM_TOKENS)[]).map((name) => ({
  name,
  tokenSha256: [TEAM_TOKEN_HASHES[name]],
  userNames: [],
  rateLimitPerMinute: 1,
}));

describe('team auth', () => {
  it('hashes with SHA-256, as lower-case hex', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const name of Object.keys(TEAM_TOKENS) as (keyof typeof TEAM_TOKENS)[]) {
      expect(await sha256Hex(TEAM_TOKENS[name])).toBe(TEAM_TOKEN_HASHES[name]);
    }
  });

  it('compares whole strings', () => {
    expect(constantTimeEqual('abcd', 'abcd')).toBe(true);
    expect(constantTimeEqual('abcd', 'abce')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
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

  it('reads only a well-formed bearer header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
