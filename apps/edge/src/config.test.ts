import { describe, expect, it } from 'vitest';
import { edgeEnv, BASIC_KEY, CANARIES, OTHER_KEY, TOKEN_KEY } from '../test/suite/fixtures.js';
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
    expect(wrong.ok && wrong.config.problems).toEqual([
      { variable: 'TEAMS[0].requireIdempotencyKey', rule: 'true-or-false', message: 'TEAMS[0].requireIdempotencyKey must be true or false; the team is disabled' },
    ]);
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

  it('stops on what cannot be used at all, naming every bad variable with its rule at once, and never a value', () => {
    const result = parseConfig({
      CLOUDAGENT_BASE_URL: `http://${BASIC_KEY}.example.com`,
      CLOUDAGENT_ACCOUNTS: `{"demo":{"apiKey":"${BASIC_KEY}"}`,
      RATE_LIMIT_PER_MINUTE: '0',
      TEAMS: `{"name":"${TOKEN_KEY}"}`,
      UPSTREAM_TIMEOUT_MS: `-5${OTHER_KEY}`,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.variable, i.rule])).toEqual([
      ['CLOUDAGENT_BASE_URL', expect.stringMatching(/^base-url-/)],
      ['CLOUDAGENT_ACCOUNTS', 'json'],
      ['RATE_LIMIT_PER_MINUTE', 'whole-number'],
      ['TEAMS', 'teams'],
      ['UPSTREAM_TIMEOUT_MS', 'whole-number'],
    ]);
    for (const issue of result.issues) expect(issue.message.startsWith(`${issue.variable} `)).toBe(true);
    expect(result.issues.find((i) => i.variable === 'UPSTREAM_TIMEOUT_MS')?.message).toBe('UPSTREAM_TIMEOUT_MS must be a whole number, 1 or more');
    expect(result.issues.find((i) => i.variable === 'TEAMS')?.message).toMatch(/^TEAMS must be a JSON list of teams/);
    const text = JSON.stringify(result.issues);
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });

  it('an accounts variable of the wrong shape, or with no account, is named with its rule', () => {
    for (const accounts of ['[]', '{}', '"demo"', []]) {
      const result = parseConfig({ ...valid, CLOUDAGENT_ACCOUNTS: accounts });
      expect(!result.ok && result.issues.map((i) => [i.variable, i.rule])).toEqual([['CLOUDAGENT_ACCOUNTS', 'accounts']]);
    }
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
    expect(config.problems.map((i) => [i.variable, i.rule])).toEqual([
      ['CLOUDAGENT_ACCOUNTS.demo.apiKey', 'api-key'],
      ['CLOUDAGENT_ACCOUNTS.tok.auth', 'one-of'],
      ['TEAMS[0].tokenSha256', 'token-sha256'],
      ['TEAMS[3].userNames', 'unknown-account'],
      ['TEAMS', 'unique-name'],
    ]);
    const text = config.problems.map((i) => `${i.variable}: ${i.message}`).join('\n');
    expect(text).toMatch(/CLOUDAGENT_ACCOUNTS\.demo\.apiKey must be the API key/);
    expect(text).toMatch(/CLOUDAGENT_ACCOUNTS\.tok\.auth must be one of basic, token, basic_auth, token_auth/);
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
    if (!missing.ok) expect(missing.issues.map((i) => [i.variable, i.rule])).toEqual([['CLOUDAGENT_ACCOUNTS', 'required'], ['TEAMS', 'required']]);
    if (!missing.ok) expect(missing.issues[1]?.message).toMatch(/^TEAMS is required and must be a JSON list of teams, each \{ "name", "tokenSha256", "userNames"/);
    const garbled = parseConfig({ ...valid, TEAMS: '[{"name":' });
    expect(garbled.ok).toBe(false);
    if (!garbled.ok) expect(garbled.issues).toEqual([{ variable: 'TEAMS', rule: 'json', message: 'TEAMS is not valid JSON' }]);
  });

  it('allows plain http only to this machine', () => {
    expect(parseConfig({ ...valid, CLOUDAGENT_BASE_URL: 'http://127.0.0.1:4010/' })).toMatchObject({ ok: true, config: { baseUrl: 'http://127.0.0.1:4010' } });
    expect(parseConfig({ ...valid, CLOUDAGENT_BASE_URL: 'https://cloudagent.test/?apiKey=x' }).ok).toBe(false);
  });

  it('reads CORS origins only when given', () => {
    const result = parseConfig({ ...valid, CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(result.ok && result.config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('names every bad field of a team and of an account at once, each with its rule; only that entry is disabled', () => {
    const result = parseConfig({
      CLOUDAGENT_ACCOUNTS: JSON.stringify({ demo: { apiKey: BASIC_KEY }, odd: { apiKey: OTHER_KEY, auth: 'oauth', apikey: TOKEN_KEY }, bare: {} }),
      TEAMS: JSON.stringify([
        { name: 'bad name!', tokenSha256: 'a'.repeat(64), userNames: 'demo', rateLimitPerMinute: 0, requireIdempotencyKey: 'yes' },
        { name: 'ok', tokenSha256: 'b'.repeat(64), userNames: ['demo'] },
      ]),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.problems.map((p) => [p.variable, p.rule])).toEqual([
      ['CLOUDAGENT_ACCOUNTS.odd.auth', 'one-of'],
      ['CLOUDAGENT_ACCOUNTS.odd.apikey', 'unknown-field'],
      ['CLOUDAGENT_ACCOUNTS.bare.apiKey', 'required'],
      ['TEAMS[0].name', 'team-name'],
      ['TEAMS[0].userNames', 'user-names'],
      ['TEAMS[0].rateLimitPerMinute', 'whole-number'],
      ['TEAMS[0].requireIdempotencyKey', 'true-or-false'],
    ]);
    expect([...result.config.accounts.keys()]).toEqual(['demo']);
    expect([...result.config.disabledAccounts.keys()]).toEqual(['odd', 'bare']);
    expect(result.config.teams.map((t) => [t.name, t.disabled !== undefined])).toEqual([['TEAMS[0]', true], ['ok', false]]);
    for (const problem of result.config.problems) expect(problem.message.startsWith(`${problem.variable} `)).toBe(true);
    const text = JSON.stringify(result.config.problems) + JSON.stringify(result.config.teams) + JSON.stringify([...result.config.disabledAccounts]);
    for (const canary of CANARIES) expect(text).not.toContain(canary);
  });
});
