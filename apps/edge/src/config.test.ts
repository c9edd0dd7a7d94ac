import { describe, expect, it } from 'vitest';
import { edgeEnv, BASIC_KEY, CANARIES } from '../test/suite/fixtures.js';
import { DEFAULT_TIMEOUT_MS, parseConfig } from './config.js';

const valid = edgeEnv('https://in1-ccaas-api.ozonetel.com');

describe('parseConfig', () => {
  it('reads accounts, teams and settings', () => {
    const result = parseConfig(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.config.accounts.keys()]).toEqual(['demo', 'tokenco', 'other']);
    expect(result.config.accounts.get('tokenco')?.auth).toBe('token');
    expect(result.config.accounts.get('demo')?.auth).toBe('basic');
    expect(result.config.teams.map((t) => [t.name, t.rateLimitPerMinute, t.requireIdempotencyKey ?? false])).toEqual([
      ['alpha', 10_000, false],
      ['beta', 10_000, false],
      ['gamma', 3, false],
      ['delta', 4, true],
    ]);
    expect(result.config.timeoutMs).toBe(1_500);
    expect(result.config.corsOrigins).toEqual([]);
  });

  it('takes Worker vars that are JSON values rather than strings, and fills defaults', () => {
    const result = parseConfig({
      CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY } },
      TEAMS: [{ name: 'a', tokenSha256: 'A'.repeat(64), userNames: ['demo'] }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.baseUrl).toBe('https://in1-ccaas-api.ozonetel.com');
    expect(result.config.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(result.config.teams[0]).toMatchObject({ tokenSha256: ['a'.repeat(64)], rateLimitPerMinute: 60 });
  });

  it('reads requireIdempotencyKey as true or false, and refuses anything else naming the field', () => {
    const team = (extra: Record<string, unknown>) =>
      parseConfig({ CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY } }, TEAMS: [{ name: 'a', tokenSha256: 'a'.repeat(64), userNames: ['demo'], ...extra }] });
    const on = team({ requireIdempotencyKey: true });
    expect(on.ok && on.config.teams[0]!.requireIdempotencyKey).toBe(true);
    const off = team({ requireIdempotencyKey: false });
    expect(off.ok && (off.config.teams[0]!.requireIdempotencyKey ?? false)).toBe(false);
    const wrong = team({ requireIdempotencyKey: 'yes' });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.issues).toEqual([{ variable: 'TEAMS', message: 'TEAMS[0].requireIdempotencyKey must be true or false' }]);
  });

  it("reads the admin screen's BASIC_AUTH / TOKEN_AUTH as the auth mode", () => {
    const result = parseConfig({
      CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY, auth: 'BASIC_AUTH' }, tok: { apiKey: BASIC_KEY, auth: 'TOKEN_AUTH' } },
      TEAMS: [{ name: 'a', tokenSha256: 'a'.repeat(64), userNames: ['demo', 'tok'] }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.accounts.get('demo')?.auth).toBe('basic');
    expect(result.config.accounts.get('tok')?.auth).toBe('token');
  });

  it('takes a list of two token hashes for a team whose token is being rotated, and no more', () => {
    const two = parseConfig({
      CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY } },
      TEAMS: [{ name: 'a', tokenSha256: ['a'.repeat(64), 'B'.repeat(64)], userNames: ['demo'] }],
    });
    expect(two.ok && two.config.teams[0]!.tokenSha256).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    const three = parseConfig({
      CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY } },
      TEAMS: [{ name: 'a', tokenSha256: ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)], userNames: ['demo'] }],
    });
    expect(three.ok).toBe(false);
    const shared = parseConfig({
      CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY } },
      TEAMS: [
        { name: 'a', tokenSha256: ['a'.repeat(64), 'b'.repeat(64)], userNames: ['demo'] },
        { name: 'b', tokenSha256: 'b'.repeat(64), userNames: ['demo'] },
      ],
    });
    expect(shared.ok ? [] : shared.issues.map((i) => i.message)).toEqual(['TEAMS[1].tokenSha256 is shared with another team; give each team its own token']);
  });

  it('names every variable and rule that is wrong, and never a value', () => {
    const result = parseConfig({
      CLOUDAGENT_BASE_URL: 'http://cloudagent.example.com',
      CLOUDAGENT_ACCOUNTS: JSON.stringify({ demo: { apiKey: `${BASIC_KEY} with spaces` }, tok: { apiKey: BASIC_KEY, auth: 'oauth' } }),
      TEAMS: JSON.stringify([
        { name: 'a', tokenSha256: 'nothex', userNames: ['demo', 'ghost'] },
        { name: 'a', tokenSha256: 'b'.repeat(64), userNames: [] },
      ]),
      UPSTREAM_TIMEOUT_MS: '-5',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.issues.map((i) => `${i.variable}: ${i.message}`).join('\n');
    expect(text).toMatch(/CLOUDAGENT_BASE_URL: .*https/);
    expect(text).toMatch(/CLOUDAGENT_ACCOUNTS\.demo: apiKey/);
    expect(text).toMatch(/CLOUDAGENT_ACCOUNTS\.tok\.auth must be "basic" or "token"/);
    expect(text).toMatch(/TEAMS\[0\]\.tokenSha256 must be the 64-character hex SHA-256/);
    expect(text).toMatch(/"ghost" is not in CLOUDAGENT_ACCOUNTS/);
    expect(text).toMatch(/TEAMS\[1\]\.name "a" is used twice/);
    expect(text).toMatch(/UPSTREAM_TIMEOUT_MS must be a positive whole number/);
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });

  it('says what to set when variables are missing or not JSON', () => {
    const missing = parseConfig({});
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues.map((i) => i.variable)).toEqual(['CLOUDAGENT_ACCOUNTS', 'TEAMS']);
    const garbled = parseConfig({ ...valid, TEAMS: '[{"name":' });
    expect(garbled.ok).toBe(false);
    if (!garbled.ok) expect(garbled.issues).toEqual([{ variable: 'TEAMS', message: 'TEAMS is not valid JSON' }]);
  });

  it('allows plain http only to this machine', () => {
    expect(parseConfig({ ...valid, CLOUDAGENT_BASE_URL: 'http://127.0.0.1:4010/' })).toMatchObject({ ok: true, config: { baseUrl: 'http://127.0.0.1:4010' } });
    expect(parseConfig({ ...valid, CLOUDAGENT_BASE_URL: 'https://cloudagent.test/?apiKey=x' }).ok).toBe(false);
  });

  it('reads CORS origins only when given', () => {
    const result = parseConfig({ ...valid, CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(result.ok && result.config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});
