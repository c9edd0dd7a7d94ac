import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, SEED, USER, caphone, cleanEnv, envelope, scratchDir, withSimulator } from './helpers.js';

let sim: RunningSimulator;
const scratch = scratchDir();
const configDir = join(scratch.path, 'config');
const env = (extra: Record<string, string> = {}) => cleanEnv(scratch.path, extra);

beforeAll(async () => {
  sim = await withSimulator({ records: SEED });
});
afterAll(async () => {
  await sim.close();
  scratch.cleanup();
});

describe('caphone config', () => {
  it('saves profiles 0600 in the oclif config dir, lists and shows them, and a command uses the default one', async () => {
    const set = await caphone(['config', 'set', '--profile', 'sim', '--base-url', sim.url, '--user', USER, '--api-key-stdin', '--json'], { env: env(), input: `${CANARY}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(envelope(set).result).toMatchObject({ profile: 'sim', default: true, settings: { userName: USER, key: 'stored' } });
    const file = join(configDir, 'profiles.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ default: 'sim', profiles: { sim: { baseUrl: sim.url, userName: USER } } });

    const other = await caphone(['config', 'set', '--profile', 'intl', '--region', 'international', '--user', 'someone', '--api', 'v1', '--auth', 'basic'], { env: env() });
    expect(other.code).toBe(0);

    const list = await caphone(['config', 'list'], { env: env() });
    expect(list.stdout).toMatch(/^\* sim .*key=stored/m);
    expect(list.stdout).toMatch(/^ {2}intl {2}international {2}user=someone {2}api=v1/m);

    const show = await caphone(['config', 'show', '--json'], { env: env() });
    expect(envelope(show).result).toMatchObject({ profile: 'sim', baseUrl: sim.url, userName: USER, key: 'set', sources: { baseUrl: 'profile', key: 'profile' } });

    const get = await caphone(['phone', 'get', '--number', '+919876543210'], { env: env() });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toContain('Sales');
  });

  it('--profile and CAPHONE_PROFILE select a profile; the environment still wins over it', async () => {
    const intl = await caphone(['phone', 'get', '--number', '1234', '--profile', 'intl', '--dry-run', '--json'], { env: env() });
    expect(intl.code).toBe(2); // intl is v1, and v1 has no get
    const viaEnv = await caphone(['phone', 'delete', '--number', '1234', '--name', 'ab', '--dry-run', '--json'], { env: env({ CAPHONE_PROFILE: 'intl' }) });
    expect(envelope(viaEnv).request!.url).toMatch(/^https:\/\/api\.ccaas\.ozonetel\.com\/CAServices\/PhoneManageV2\.php\?action=delete/);
    const envWins = await caphone(['config', 'show', '--profile', 'intl', '--json'], { env: env({ CLOUDAGENT_BASE_URL: 'https://env.example.com', CLOUDAGENT_API_VERSION: 'v2' }) });
    expect(envelope(envWins).result).toMatchObject({ baseUrl: 'https://env.example.com', apiVersion: 'v2', sources: { baseUrl: 'env', apiVersion: 'env', userName: 'profile' } });
  });

  it('an unknown or badly named profile is exit 2 with what to do', async () => {
    const missing = await caphone(['phone', 'get', '--number', '1234', '--profile', 'nope'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('caphone config set --profile nope');
    const bad = await caphone(['config', 'set', '--profile', '../etc', '--user', 'x'], { env: env() });
    expect(bad.code).toBe(2);
    const badUrl = await caphone(['config', 'set', '--profile', 'x', '--base-url', 'ftp://nope'], { env: env() });
    expect(badUrl.code).toBe(2);
  });

  it('--unset clears a field and remove deletes a profile', async () => {
    const unset = await caphone(['config', 'set', '--profile', 'sim', '--unset', 'api-key', '--json'], { env: env() });
    expect(envelope(unset).result.settings.key).toBeNull();
    expect(readFileSync(join(configDir, 'profiles.json'), 'utf8')).not.toContain(CANARY);
    const removed = await caphone(['config', 'remove', 'intl'], { env: env() });
    expect(removed.code).toBe(0);
    const list = await caphone(['config', 'list', '--json'], { env: env() });
    expect(envelope(list).result.profiles.map((p: { name: string }) => p.name)).toEqual(['sim']);
  });
});
