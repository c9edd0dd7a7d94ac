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
    // A bad entry disables that team only (the configuration's blast radius), naming the field.
    const wrong = team({ requireIdempotencyKey: 'yes' });
    expect(wrong.ok && wrong.config.teams[0]!.disabled).toBe('TEAMS[0].requireIdempotencyKey must be true or false');
    expect(wrong.ok && wrong.config.problems).toEqual([{ variable: 'TEAMS', message: 'TEAMS[0].requireIdempotencyKey must be true or false; the team is disabled' }]);
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
    expect(three.ok && three.config.teams).toEqual([]);
    expect(three.ok && three.config.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^TEAMS\[0\]\.tokenSha256 must be the 64-character hex SHA-256/)]);
    const shared = parseConfig({
      CLOUDAGENT_ACCOUNTS: { demo: { apiKey: BASIC_KEY } },
      TEAMS: [
        { name: 'a', tokenSha256: ['a'.repeat(64), 'b'.repeat(64)], userNames: ['demo'] },
        { name: 'b', tokenSha256: 'b'.repeat(64), userNames: ['demo'] },
      ],
    });
    expect(shared.ok && shared.config.teams.map((t) => [t.name, t.disabled])).toEqual([
      ['a', 'the team shares its token with another team in TEAMS'],
      ['b', 'the team shares its token with another team in TEAMS'],
    ]);
    expect(shared.ok && shared.config.problems.map((p) => p.message)).toEqual(['TEAMS: a and b share a token hash; give each team its own token (both are disabled)']);
  });

  it('stops on what cannot be used at all, naming every variable and rule, and never a value', () => {
    const result = parseConfig({
      ...valid,
      CLOUDAGENT_BASE_URL: 'http://cloudagent.example.com',
      UPSTREAM_TIMEOUT_MS: '-5',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.issues.map((i) => `${i.variable}: ${i.message}`).join('\n');
    expect(text).toMatch(/CLOUDAGENT_BASE_URL: .*https/);
    expect(text).toMatch(/UPSTREAM_TIMEOUT_MS must be a positive whole number/);
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });

  it('contains bad accounts and teams: each problem is named, and only what it names is disabled', () => {
    const result = parseConfig({
      CLOUDAGENT_ACCOUNTS: JSON.stringify({ demo: { apiKey: `${BASIC_KEY} with spaces` }, tok: { apiKey: BASIC_KEY, auth: 'oauth' }, good: { apiKey: BASIC_KEY } }),
      TEAMS: JSON.stringify([
        { name: 'a', tokenSha256: 'nothex', userNames: ['demo', 'ghost'] },
        { name: 'b', tokenSha256: 'b'.repeat(64), userNames: ['good'] },
        { name: 'b', tokenSha256: 'c'.repeat(64), userNames: [] },
        { name: 'ok', tokenSha256: 'd'.repeat(64), userNames: ['good', 'demo', 'ghost'] },
      ]),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result;
    expect([...config.accounts.keys()]).toEqual(['good']);
    expect([...config.disabledAccounts.keys()]).toEqual(['demo', 'tok']);
    expect(config.teams.map((t) => [t.name, t.disabled !== undefined])).toEqual([['b', true], ['b', true], ['ok', false]]);
    const text = config.problems.map((i) => `${i.variable}: ${i.message}`).join('\n');
    expect(text).toMatch(/CLOUDAGENT_ACCOUNTS\.demo: apiKey/);
    expect(text).toMatch(/CLOUDAGENT_ACCOUNTS\.tok\.auth must be "basic" or "token"/);
    expect(text).toMatch(/TEAMS\[0\]\.tokenSha256 must be the 64-character hex SHA-256/);
    expect(text).toMatch(/"ghost" is not in CLOUDAGENT_ACCOUNTS/);
    expect(text).toMatch(/the name "b" is used by 2 teams/);
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });

  it('finds a user name given twice in the raw text (JSON.parse keeps the last silently) and disables that account', () => {
    const raw = `{"demo":{"apiKey":"${BASIC_KEY}"},"other":{"apiKey":"${BASIC_KEY}"},"demo":{"apiKey":"${BASIC_KEY}x"},"nested":{"apiKey":"${BASIC_KEY}","auth":"basic"}}`;
    const result = parseConfig({ CLOUDAGENT_ACCOUNTS: raw, TEAMS: JSON.stringify([{ name: 't', tokenSha256: 'a'.repeat(64), userNames: ['demo', 'other'] }]) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.config.accounts.keys()]).toEqual(['other', 'nested']);
    expect(result.config.disabledAccounts.get('demo')).toMatch(/given twice/);
    expect(result.config.teams[0]!.disabled).toBeUndefined();
  });

  it('refuses a key that cannot travel in a header (NUL, DEL, non-Latin-1), disabling that account only', () => {
    for (const bad of ['\u0000', '\u007f', '\u20ac']) {
      const result = parseConfig({
        CLOUDAGENT_ACCOUNTS: JSON.stringify({ bad: { apiKey: `${BASIC_KEY}${bad}` }, good: { apiKey: BASIC_KEY } }),
        TEAMS: JSON.stringify([{ name: 't', tokenSha256: 'a'.repeat(64), userNames: ['bad', 'good'] }]),
      });
      expect(result.ok && [...result.config.accounts.keys()]).toEqual(['good']);
      expect(result.ok && result.config.disabledAccounts.get('bad')).toMatch(/printable ASCII/);
    }
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('an account and a team named %s are ordinary names', (name) => {
    const result = parseConfig({
      CLOUDAGENT_ACCOUNTS: `{"${name}":{"apiKey":"${BASIC_KEY}"}}`,
      TEAMS: JSON.stringify([{ name, tokenSha256: 'a'.repeat(64), userNames: [name] }]),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.config.accounts.keys()]).toEqual([name]);
    expect(result.config.teams.map((t) => [t.name, t.disabled])).toEqual([[name, undefined]]);
    expect(result.config.problems).toEqual([]);
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
