import { REGIONS } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { resolveTarget } from '../src/settings/resolve-target.js';

const profile = { baseUrl: 'https://partner.example.com', userName: 'from_profile', apiKey: 'profile-key', apiVersion: 'v1' as const, auth: 'token' as const };

describe('resolveTarget', () => {
  it('falls back to the defaults: domestic host, v2, basic auth, no user, no key', () => {
    const t = resolveTarget({ flags: {}, env: {} });
    expect(t).toMatchObject({ baseUrl: REGIONS.domestic, apiVersion: 'v2', auth: 'basic', userName: undefined, apiKey: undefined });
    expect(t.sources).toMatchObject({ baseUrl: 'default', apiVersion: 'default', auth: 'default' });
  });

  it('takes the profile over the defaults', () => {
    const t = resolveTarget({ flags: {}, env: {}, profile, profileName: 'p' });
    expect(t).toMatchObject({ baseUrl: 'https://partner.example.com', userName: 'from_profile', apiKey: 'profile-key', apiVersion: 'v1', auth: 'token', profile: 'p' });
    expect(t.sources.apiKey).toBe('profile');
  });

  it('takes the environment over the profile', () => {
    const env = {
      CLOUDAGENT_BASE_URL: 'https://env.example.com/',
      CLOUDAGENT_USERNAME: 'from_env',
      CLOUDAGENT_API_KEY: 'env-key',
      CLOUDAGENT_API_VERSION: 'v2',
      CLOUDAGENT_AUTH: 'basic',
    };
    const t = resolveTarget({ flags: {}, env, profile });
    expect(t).toMatchObject({ baseUrl: 'https://env.example.com', userName: 'from_env', apiKey: 'env-key', apiVersion: 'v2', auth: 'basic' });
    expect(t.sources).toMatchObject({ baseUrl: 'env', userName: 'env', apiKey: 'env' });
  });

  it('takes flags over the environment, and the stdin key over the environment key', () => {
    const t = resolveTarget({
      flags: { region: 'international', user: 'from_flag', api: 'v1', auth: 'token' },
      env: { CLOUDAGENT_BASE_URL: 'https://env.example.com', CLOUDAGENT_USERNAME: 'from_env', CLOUDAGENT_API_KEY: 'env-key' },
      stdinKey: 'stdin-key',
    });
    expect(t).toMatchObject({ baseUrl: REGIONS.international, userName: 'from_flag', apiKey: 'stdin-key', apiVersion: 'v1', auth: 'token' });
    expect(t.sources.apiKey).toBe('stdin');
  });

  it('reads CLOUDAGENT_REGION as a shortcut for the host', () => {
    expect(resolveTarget({ flags: {}, env: { CLOUDAGENT_REGION: 'international' } }).baseUrl).toBe(REGIONS.international);
  });

  it('treats empty variables as unset', () => {
    const t = resolveTarget({ flags: {}, env: { CLOUDAGENT_API_KEY: ' ', CLOUDAGENT_USERNAME: '' }, profile });
    expect(t.apiKey).toBe('profile-key');
    expect(t.userName).toBe('from_profile');
  });

  it.each([
    [{ flags: { 'base-url': 'ftp://x' }, env: {} }, '--base-url'],
    [{ flags: { 'base-url': 'https://host/?apiKey=1' }, env: {} }, '--base-url'],
    [{ flags: { 'base-url': 'https://user:pw@host' }, env: {} }, '--base-url'],
    [{ flags: {}, env: { CLOUDAGENT_BASE_URL: 'not a url' } }, 'CLOUDAGENT_BASE_URL'],
    [{ flags: {}, env: { CLOUDAGENT_REGION: 'mars' } }, 'CLOUDAGENT_REGION'],
    [{ flags: {}, env: { CLOUDAGENT_API_VERSION: 'v3' } }, 'CLOUDAGENT_API_VERSION'],
    [{ flags: {}, env: { CLOUDAGENT_AUTH: 'oauth' } }, 'CLOUDAGENT_AUTH'],
  ])('rejects a bad value with exit 2 naming where it came from (%#)', (input, where) => {
    try {
      resolveTarget(input);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toContain(where);
    }
  });

  it('names every bad flag, variable and profile field at once, each with its rule, never a value', () => {
    const canary = 'CANARY-target-3c9d';
    let error: unknown;
    try {
      resolveTarget({
        flags: { 'base-url': `https://user:${canary}@host.example`, api: `v3${canary}`, 'edge-url': `http://edge.example/${canary}` },
        env: { CLOUDAGENT_REGION: `mars${canary}`, CLOUDAGENT_AUTH: `oauth${canary}` },
        profile: { edgeUrl: `https://edge.example/?token=${canary}` },
        profileName: 'work',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    const message = (error as CliError).message;
    for (const where of ['--edge-url must use https', "profile work's edgeUrl", '--base-url', 'CLOUDAGENT_REGION must be one of domestic, international', '--api must be one of v1, v2', 'CLOUDAGENT_AUTH must be one of basic, token']) {
      expect(message).toContain(where);
    }
    expect(message).not.toContain(canary);
    expect(JSON.stringify(error)).not.toContain(canary);
  });

  it("holds an edge URL to core's base-URL rule: https, plain http only to this machine; the URL without a trailing slash", () => {
    expect(resolveTarget({ flags: { 'edge-url': 'https://phone-edge.example.workers.dev/' }, env: {} }).edge?.url).toBe('https://phone-edge.example.workers.dev');
    expect(resolveTarget({ flags: {}, env: { CAPHONE_EDGE_URL: 'http://127.0.0.1:8787' } }).edge?.url).toBe('http://127.0.0.1:8787');
    expect(() => resolveTarget({ flags: { 'edge-url': 'http://phone-edge.example.com' }, env: {} })).toThrow(/--edge-url must use https/);
  });
});
