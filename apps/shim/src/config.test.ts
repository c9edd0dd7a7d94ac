import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '@cloudagent-phone/core';
import { ShimConfigError, configFromEnv, V1_DEPRECATED_AT } from './config.js';

describe('configFromEnv', () => {
  it('has working defaults: everything to v2 at the domestic host', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({ v2BaseUrl: DEFAULT_BASE_URL, mode: 'v2', rolloutPercent: 100, killSwitch: false, sunsetAt: V1_DEPRECATED_AT, timeoutMs: 20_000 });
    expect(c.adminToken).toBeUndefined();
    expect(c.v1BaseUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const c = configFromEnv({
      CLOUDAGENT_BASE_URL: 'http://127.0.0.1:9/',
      SHIM_V1_BASE_URL: 'https://legacy.test',
      SHIM_MODE: 'verify',
      SHIM_ROLLOUT_PERCENT: '25',
      SHIM_ACCOUNT_MODES: 'a=v1,b=shadow',
      SHIM_KILL_SWITCH: 'on',
      SHIM_ADMIN_TOKEN: 'x'.repeat(20),
      SHIM_SUNSET: '2026-12-31T00:00:00Z',
      SHIM_TIMEOUT_MS: '5000',
    });
    expect(c).toMatchObject({ v2BaseUrl: 'http://127.0.0.1:9', v1BaseUrl: 'https://legacy.test', mode: 'verify', rolloutPercent: 25, killSwitch: true, timeoutMs: 5000 });
    expect([...c.accountModes]).toEqual([['a', 'v1'], ['b', 'shadow']]);
    expect(c.problems).toEqual([]);
    expect(new Date(c.sunsetAt).toISOString()).toBe('2026-12-31T00:00:00.000Z');
  });

  it('reads SHIM_TOKEN_ACCOUNTS as a set of user names (none by default)', () => {
    expect(configFromEnv({}).tokenAccounts.size).toBe(0);
    expect([...configFromEnv({ SHIM_TOKEN_ACCOUNTS: ' acme, globex ,,acme' }).tokenAccounts]).toEqual(['acme', 'globex']);
    expect(() => configFromEnv({ SHIM_TOKEN_ACCOUNTS: 'acme=token' })).toThrow(/^SHIM_TOKEN_ACCOUNTS must be CloudAgent user names, comma-separated$/);
  });

  it('refuses what it cannot use, naming the variable and the rule', () => {
    expect(() => configFromEnv({ SHIM_MODE: 'fast' })).toThrow(/SHIM_MODE must be v2 or verify/);
    expect(() => configFromEnv({ SHIM_MODE: 'v1' })).toThrow(/SHIM_MODE must be v2 or verify: .*SHIM_ACCOUNT_MODES/);
    expect(() => configFromEnv({ SHIM_ROLLOUT_PERCENT: '150' })).toThrow(/SHIM_ROLLOUT_PERCENT must be a whole number from 0 to 100/);
    expect(() => configFromEnv({ SHIM_ROLLOUT_PERCENT: '50' })).toThrow(/needs SHIM_V1_BASE_URL/);
    expect(() => configFromEnv({ SHIM_ACCOUNT_MODES: '=v1' })).toThrow(/userName=mode/);
    expect(() => configFromEnv({ CLOUDAGENT_BASE_URL: 'in1-ccaas-api.ozonetel.com' })).toThrow(/CLOUDAGENT_BASE_URL must be an absolute https URL/);
    expect(() => configFromEnv({ SHIM_SUNSET: 'soon' })).toThrow(/SHIM_SUNSET must be a date/);
    expect(() => configFromEnv({ SHIM_ADMIN_TOKEN: 'short' })).toThrow(/at least 16 characters/);
  });

  it('names every bad variable at once, each with its rule, and never a value', () => {
    const canary = 'CANARY-shim-config-77';
    let error: unknown;
    try {
      configFromEnv({
        CLOUDAGENT_BASE_URL: `https://user:${canary}@host.example`,
        SHIM_MODE: `${canary}-mode`,
        SHIM_TIMEOUT_MS: `${canary}`,
        SHIM_ADMIN_TOKEN: 'CANARY-short',
        SHIM_SUNSET: `${canary}-date`,
        SHIM_TOKEN_ACCOUNTS: `acme=${canary}`,
        SHIM_ROLLOUT_PERCENT: '50',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ShimConfigError);
    const { issues } = error as ShimConfigError;
    expect(issues.map((issue) => [issue.variable, issue.rule])).toEqual([
      ['CLOUDAGENT_BASE_URL', 'base-url-bare'],
      ['SHIM_MODE', 'one-of'],
      ['SHIM_SUNSET', 'date'],
      ['SHIM_ADMIN_TOKEN', 'min-length'],
      ['SHIM_TIMEOUT_MS', 'whole-number'],
      ['SHIM_TOKEN_ACCOUNTS', 'user-names'],
      ['SHIM_ROLLOUT_PERCENT', 'needs-legacy-host'],
    ]);
    expect(String(error)).not.toContain('CANARY');
    expect(JSON.stringify(issues)).not.toContain('CANARY');
  });

  it('never echoes the admin token in an error', () => {
    try {
      configFromEnv({ SHIM_ADMIN_TOKEN: 'CANARY-short' });
    } catch (error) {
      expect(String(error)).not.toContain('CANARY');
    }
    expect.assertions(1);
  });

  it('refuses plain http to a remote host and credentials in a base URL, without printing them', () => {
    expect(() => configFromEnv({ CLOUDAGENT_BASE_URL: 'http://in1-ccaas-api.ozonetel.com' })).toThrow(/CLOUDAGENT_BASE_URL must use https/);
    expect(() => configFromEnv({ SHIM_V1_BASE_URL: 'http://legacy.example' })).toThrow(/SHIM_V1_BASE_URL must use https/);
    for (const variable of ['CLOUDAGENT_BASE_URL', 'SHIM_V1_BASE_URL']) {
      let message = '';
      try {
        configFromEnv({ [variable]: 'https://user:CANARY-pass@host.example' });
      } catch (error) {
        message = String(error);
      }
      expect(message).toMatch(/without credentials/);
      expect(message).not.toContain('CANARY');
    }
    expect(configFromEnv({ CLOUDAGENT_BASE_URL: 'http://simulator.invalid' }, { allowHttpOrigins: ['http://simulator.invalid'] }).v2BaseUrl).toBe('http://simulator.invalid');
  });

  it('a bad SHIM_ACCOUNT_MODES entry disables only the account it names', () => {
    const c = configFromEnv({ SHIM_ACCOUNT_MODES: 'good=verify,typo=fast,twice=v2,twice=verify,legacy=v1,bare,has space=v2' });
    expect([...c.accountModes]).toEqual([['good', 'verify']]);
    expect([...c.disabledAccounts.keys()].sort()).toEqual(['bare', 'legacy', 'twice', 'typo']);
    expect(c.problems).toHaveLength(5);
    expect(c.problems.join('\n')).toMatch(/twice is given twice/);
    expect(c.problems.join('\n')).toMatch(/legacy has mode v1, which needs SHIM_V1_BASE_URL/);
  });
});
