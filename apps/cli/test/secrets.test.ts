import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CANARY, SEED, USER, caphone, cleanEnv, scratchDir, simulatorEnv, withSimulator, type Run } from './helpers.js';

// The API key (and any token) must not appear in anything caphone prints, whatever the flags,
// whatever happens: --json, --dry-run, --verbose, DEBUG=* (oclif's own debug output too), errors,
// v1 (where the key travels in the URL), token accounts, bulk runs, stored profiles.
let basic: RunningSimulator;
let token: RunningSimulator;
const scratch = scratchDir();
const WRONG = 'CANARY-KEY-wrong-9d8e7f6a';

function expectClean(run: Run, ...secrets: string[]) {
  for (const secret of [CANARY, WRONG, ...secrets]) {
    expect(run.stdout, `stdout leaked ${secret}`).not.toContain(secret);
    expect(run.stderr, `stderr leaked ${secret}`).not.toContain(secret);
  }
}

beforeAll(async () => {
  basic = await withSimulator({ records: SEED });
  token = await withSimulator({ records: SEED, auth: 'token' });
});
afterAll(async () => {
  await Promise.all([basic.close(), token.close()]);
  scratch.cleanup();
});
beforeEach(() => {
  basic.control.reset(SEED);
  token.control.reset(SEED);
});

const edit = ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Renamed'];
const variants: [string, string[], Record<string, string>][] = [
  ['--json', ['--json'], {}],
  ['--dry-run', ['--dry-run'], {}],
  ['--dry-run --json', ['--dry-run', '--json'], {}],
  ['--verbose', ['--verbose'], {}],
  ['--verbose --json under DEBUG=*', ['--verbose', '--json'], { DEBUG: '*' }],
  ['v1 --verbose (the key is in the URL)', ['--api', 'v1', '--verbose'], {}],
  ['v1 --dry-run --json', ['--api', 'v1', '--dry-run', '--json'], {}],
];

describe('the canary key never appears', () => {
  it.each(variants)('phone edit %s', async (_name, flags, extra) => {
    const run = await caphone([...edit, ...flags], { env: cleanEnv(scratch.path, { ...simulatorEnv(basic), ...extra }) });
    expect(run.code, run.stderr).toBe(0);
    expectClean(run);
    if (extra.DEBUG) expect(run.stderr).toMatch(/oclif/); // DEBUG=* really produced debug output
  });

  it('when CloudAgent rejects the key, under --verbose and DEBUG=*', async () => {
    const run = await caphone([...edit, '--verbose', '--json'], { env: cleanEnv(scratch.path, { ...simulatorEnv(basic, WRONG), DEBUG: '*' }) });
    expect(run.code).toBe(3);
    expectClean(run);
  });

  it('when the key comes from stdin, and on a usage error', async () => {
    const e = cleanEnv(scratch.path, { CLOUDAGENT_BASE_URL: basic.url, CLOUDAGENT_USERNAME: USER, DEBUG: '*' });
    const ok = await caphone([...edit, '--api-key-stdin', '--verbose'], { env: e, input: `${CANARY}\n` });
    expect(ok.code).toBe(0);
    expectClean(ok);
    const bad = await caphone([...edit, '--api-key-stdin', '--bogus', '--json'], { env: e, input: `${CANARY}\n` });
    expect(bad.code).toBe(2);
    expectClean(bad);
  });

  it('on an internal error with --verbose (stack traces are redacted too)', async () => {
    const notADir = join(scratch.path, 'file-not-dir');
    writeFileSync(notADir, '');
    const run = await caphone([...edit, '--verbose'], { env: cleanEnv(scratch.path, { ...simulatorEnv(basic), CAPHONE_CONFIG_DIR: notADir, DEBUG: '*' }) });
    expect(run.code).toBe(1);
    expectClean(run);
  });

  it('nor the bearer token, for a token account; the token is cached 0600 and reused by the next run', async () => {
    const e = cleanEnv(scratch.path, { ...simulatorEnv(token), CLOUDAGENT_AUTH: 'token', DEBUG: '*' });
    const first = await caphone([...edit, '--verbose', '--json'], { env: e });
    expect(first.code, first.stderr).toBe(0);
    const live = token.state.tokens.current?.token;
    expect(live).toBeTruthy();
    expectClean(first, live!);
    expect(first.stderr).toMatch(/authorization: Bearer \[REDACTED\]|authorization: \[REDACTED\]/i);

    const cacheFiles = readdirSync(join(scratch.path, 'cache', 'tokens'));
    expect(cacheFiles).toHaveLength(1);
    const cached = join(scratch.path, 'cache', 'tokens', cacheFiles[0]!);
    expect(statSync(cached).mode & 0o777).toBe(0o600);
    expect(readFileSync(cached, 'utf8')).toContain(live!);

    const second = await caphone(['phone', 'get', '--number', '+919876543210', '--verbose'], { env: e });
    expect(second.code, second.stderr).toBe(0);
    expectClean(second, live!);
    // One token generated for both runs: a second generation would void the first (the vendor's rule).
    expect(token.control.calls().filter((c) => c.action === 'token')).toHaveLength(1);
  });

  it('a wrong key does not ride the token a right key earned: the cache is filed per key (by hash), never holding the key', async () => {
    const own = scratchDir('caphone-token-per-key-');
    try {
      const right = cleanEnv(own.path, { ...simulatorEnv(token), CLOUDAGENT_AUTH: 'token' });
      const first = await caphone(['phone', 'get', '--number', '+919876543210', '--json'], { env: right });
      expect(first.code, first.stderr).toBe(0);

      const wrong = await caphone(['phone', 'get', '--number', '+919876543210', '--json'], { env: cleanEnv(own.path, { ...simulatorEnv(token, WRONG), CLOUDAGENT_AUTH: 'token' }) });
      expect(wrong.code, wrong.stdout).toBe(3);
      expect(JSON.parse(wrong.stdout)).toMatchObject({ outcome: 'auth_error' });
      expectClean(wrong, token.state.tokens.current!.token);
      // The wrong key asked CloudAgent (and was refused) instead of being handed the cached token.
      const generations = token.control.calls().filter((c) => c.action === 'token');
      expect(generations).toHaveLength(2);
      expect(generations[1]?.message).toBe('Invalid userName or apiKey');

      // The right key still rides its own token: no third generation.
      const again = await caphone(['phone', 'get', '--number', '+919876543210', '--json'], { env: right });
      expect(again.code, again.stderr).toBe(0);
      expect(token.control.calls().filter((c) => c.action === 'token')).toHaveLength(2);

      const dir = join(own.path, 'cache', 'tokens');
      for (const file of readdirSync(dir)) {
        expect(file).not.toContain(CANARY);
        for (const secret of [CANARY, WRONG]) expect(readFileSync(join(dir, file), 'utf8')).not.toContain(secret);
      }
    } finally {
      own.cleanup();
    }
  });

  it('in a bulk run with --verbose, its report and its journal', async () => {
    const csv = join(scratch.path, 'secret-bulk.csv');
    writeFileSync(csv, 'phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill\n+919876543210,Sales,,Bulk_1,,\n+919800000001,Support,bad,,,\n');
    const run = await caphone(['phone', 'bulk-edit', csv, '--verbose', '--json', '--rate', '0'], { env: cleanEnv(scratch.path, { ...simulatorEnv(basic), DEBUG: '*' }) });
    expect(run.code).toBe(2);
    expectClean(run);
    expect(readFileSync(join(scratch.path, 'secret-bulk.report.csv'), 'utf8')).not.toContain(CANARY);
    expect(readFileSync(`${csv}.caphone-journal.jsonl`, 'utf8')).not.toContain(CANARY);
  });

  it('nor a key stored in a profile, in config show, config list or a command using it', async () => {
    const e = cleanEnv(scratch.path, { DEBUG: '*', CAPHONE_CONFIG_DIR: join(scratch.path, 'profile-config') });
    const set = await caphone(['config', 'set', '--profile', 'sim', '--base-url', basic.url, '--user', USER, '--api-key-stdin', '--json'], { env: e, input: `${CANARY}\n` });
    expect(set.code, set.stderr).toBe(0);
    expectClean(set);
    for (const args of [['config', 'show', '--profile', 'sim'], ['config', 'list', '--json'], [...edit, '--profile', 'sim', '--verbose', '--json']]) {
      const run = await caphone(args, { env: e });
      expect(run.code, run.stderr).toBe(0);
      expectClean(run);
    }
  });
});
