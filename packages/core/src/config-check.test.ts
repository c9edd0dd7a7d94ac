import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { baseUrlRule, checkConfig, oneOfRule, textRule, valueRule, wholeNumberRule } from './config-check.js';

const SECRET = 'CANARY-config-5f1e';

describe('checkConfig', () => {
  const rules = {
    TIMEOUT_MS: wholeNumberRule(100, 120_000),
    MODE: oneOfRule(['v2', 'verify']),
    BASE_URL: baseUrlRule(),
    NAME: { schema: z.string().check(z.regex(/^[a-z]+$/)), rule: 'lower-case', message: 'must be lower-case letters' },
  };

  it('names every bad variable at once, with its rule, and never the value', () => {
    const issues = checkConfig(
      { TIMEOUT_MS: `${SECRET}`, MODE: `v3-${SECRET}`, BASE_URL: `http://user:${SECRET}@example.com`, NAME: SECRET },
      rules,
    );
    expect(issues.map((i) => [i.variable, i.rule])).toEqual([
      ['TIMEOUT_MS', 'whole-number'],
      ['MODE', 'one-of'],
      ['BASE_URL', expect.stringMatching(/^base-url-/)],
      ['NAME', 'lower-case'],
    ]);
    for (const issue of issues) {
      expect(issue.message.startsWith(`${issue.variable} `)).toBe(true);
      expect(JSON.stringify(issue)).not.toContain(SECRET);
    }
    expect(issues[0]?.message).toBe('TIMEOUT_MS must be a whole number from 100 to 120000');
  });

  it('passes good values, and leaves absent and empty ones to the caller', () => {
    expect(checkConfig({ TIMEOUT_MS: '2000', MODE: ' Verify ', BASE_URL: 'https://in1-ccaas-api.ozonetel.com', NAME: 'acme' }, rules)).toEqual([]);
    expect(checkConfig({ TIMEOUT_MS: 2000 }, rules)).toEqual([]);
    expect(checkConfig({ TIMEOUT_MS: '', MODE: undefined }, rules)).toEqual([]);
  });

  it('refuses numbers out of range, fractions and signs', () => {
    for (const bad of ['99', '120001', '1.5', '-5', '+5', '1e3', 10.5]) {
      expect(checkConfig({ TIMEOUT_MS: bad }, rules).map((i) => i.rule)).toEqual(['whole-number']);
    }
  });

  it('an explanation that would quote the value gives way to the rule', () => {
    const quoting = {
      KEY: { ...textRule('key-format', 'must be a key', () => false), explain: (v: unknown) => ({ rule: 'quoting', message: `is wrong: ${String(v)}` }) },
    };
    expect(checkConfig({ KEY: SECRET }, quoting)).toEqual([{ variable: 'KEY', rule: 'key-format', message: 'KEY must be a key' }]);
  });

  it('reads only its own variables: an inherited name is absent', () => {
    expect(checkConfig(JSON.parse('{"__proto__":{"MODE":"nope"}}'), rules)).toEqual([]);
  });
  it('a base-URL rule shows the example it is given, in every part of the rule', () => {
    const shim = { '--shim': baseUrlRule({}, 'https://shim.example.com') };
    for (const bad of ['shim.example.com', 'https://shim.example.com/?token=x']) {
      const [issue] = checkConfig({ '--shim': bad }, shim);
      expect(issue?.message).toContain('https://shim.example.com');
      expect(issue?.message).not.toContain('ozonetel');
    }
    expect(checkConfig({ BASE_URL: 'in1-ccaas-api' }, rules)[0]?.message).toContain('https://in1-ccaas-api.ozonetel.com');
  });

  it('a required variable left out, empty or blank is the issue `required`, saying what it must be', () => {
    const required = { TEAMS: { ...valueRule('teams', 'must be a list', Array.isArray), required: true }, MODE: oneOfRule(['v2']) };
    for (const absent of [{}, { TEAMS: '' }, { TEAMS: '  ' }]) {
      expect(checkConfig(absent, required)).toEqual([{ variable: 'TEAMS', rule: 'required', message: 'TEAMS is required and must be a list' }]);
    }
    expect(checkConfig({ TEAMS: [] }, required)).toEqual([]);
  });

  it('checks any kind of value with valueRule (a JSON var may be a list or an object)', () => {
    const rules = { LIST: valueRule('list', 'must be a list', Array.isArray), LIMIT: wholeNumberRule(1) };
    expect(checkConfig({ LIST: [1], LIMIT: 3 }, rules)).toEqual([]);
    expect(checkConfig({ LIST: { a: 1 }, LIMIT: 0 }, rules).map((i) => i.rule)).toEqual(['list', 'whole-number']);
  });

  it('names the fields of an entry inside a variable (within), every bad one at once, never the value', () => {
    const entry = { name: textRule('team-name', 'must be letters', (v) => /^[a-z]+$/.test(v)), limit: wholeNumberRule(1), token: { ...textRule('token', 'must be hex', () => false), required: true } };
    const issues = checkConfig({ name: `x-${SECRET}`, limit: SECRET }, entry, 'TEAMS[2].');
    expect(issues).toEqual([
      { variable: 'TEAMS[2].name', rule: 'team-name', message: 'TEAMS[2].name must be letters' },
      { variable: 'TEAMS[2].limit', rule: 'whole-number', message: 'TEAMS[2].limit must be a whole number, 1 or more' },
      { variable: 'TEAMS[2].token', rule: 'required', message: 'TEAMS[2].token is required and must be hex' },
    ]);
    expect(JSON.stringify(issues)).not.toContain(SECRET);
  });
});
