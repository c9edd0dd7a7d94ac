import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@oclif/core';
import { afterAll, describe, expect, it } from 'vitest';
import { caphoneCacheDir, codeCacheDir } from '../src/code-cache.js';
import { BIN, CANARY, CLI_ROOT, USER, cleanEnv, scratchDir } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

const target = { CLOUDAGENT_BASE_URL: 'http://127.0.0.1:9', CLOUDAGENT_USERNAME: USER, CLOUDAGENT_API_KEY: CANARY };
const DRY_EDIT = ['phone', 'edit', '-n', '+919876543210', '-N', 'Sales', '--new-name', 'Support', '--dry-run'];
let dirs = 0;

/** A fresh cache directory, and a run of the built CLI that reports what the code cache did. */
function setup(bin = BIN) {
  const cacheDir = join(scratch.path, `cache-${(dirs += 1)}`);
  const run = (args: string[] = DRY_EDIT, extra: Record<string, string | undefined> = {}) => {
    const child = spawnSync(process.execPath, [bin, ...args], { env: cleanEnv(scratch.path, { ...target, CAPHONE_CACHE_DIR: cacheDir, CAPHONE_DEBUG_CODE_CACHE: '1', ...extra }), encoding: 'utf8' });
    const use = /^caphone code cache: (\w+)/m.exec(child.stderr)?.[1];
    return { status: child.status, stdout: child.stdout, stderr: child.stderr.replace(/^caphone code cache: .*\n/m, ''), use };
  };
  const files = () => {
    const folder = join(cacheDir, 'code-cache', `${process.version}-${process.arch}`);
    return existsSync(folder) ? readdirSync(folder).map((name) => join(folder, name)) : [];
  };
  return { cacheDir, run, files };
}

describe('the code cache (src/code-cache.ts)', () => {
  it('the first run compiles and writes the cache, the next runs use it, and both print the same', () => {
    const { run, files } = setup();
    const first = run();
    expect(first.use).toBe('miss');
    expect(first.status, first.stderr).toBe(0);
    expect(files()).toHaveLength(1);
    const [file] = files();
    if (process.getuid) expect(statSync(file!).mode & 0o777).toBe(0o600);
    const written = statSync(file!).mtimeMs;
    const second = run();
    expect(second.use).toBe('hit');
    expect(second).toEqual({ ...first, use: 'hit' });
    expect(files()).toEqual([file]);
    expect(statSync(file!).mtimeMs).toBe(written); // a hit does not write it again
    // Bytecode, not values: the key that run had is not in it.
    expect(readFileSync(file!).includes(CANARY)).toBe(false);
  });

  it('keeps exit codes and errors as they are, with or without a cache', () => {
    const { run } = setup();
    const miss = run(['phone', 'edit', '--new-nme', 'x']);
    const hit = run(['phone', 'edit', '--new-nme', 'x']);
    expect([miss.use, hit.use]).toEqual(['miss', 'hit']);
    expect(miss.status).toBe(2);
    expect(hit).toEqual({ ...miss, use: 'hit' });
  });

  it('a damaged cache is rejected by V8, the run is unchanged, and the file is written again', () => {
    const { run, files } = setup();
    const first = run();
    writeFileSync(files()[0]!, Buffer.alloc(4096, 7), { mode: 0o600 });
    const damaged = run();
    expect(damaged.use).toBe('rejected');
    expect(damaged).toEqual({ ...first, use: 'rejected' });
    expect(run().use).toBe('hit');
  });

  it.runIf(process.getuid !== undefined)('a cache file others may write is not used, and is replaced by one only this user may write', () => {
    const { run, files } = setup();
    run();
    chmodSync(files()[0]!, 0o666);
    expect(run().use).toBe('untrusted');
    expect(statSync(files()[0]!).mode & 0o777).toBe(0o600);
    expect(run().use).toBe('hit');
  });

  it('NODE_DISABLE_COMPILE_CACHE turns it off: nothing is written', () => {
    const { cacheDir, run } = setup();
    const off = run(DRY_EDIT, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off.use).toBe('off');
    expect(off.status, off.stderr).toBe(0);
    expect(existsSync(join(cacheDir, 'code-cache'))).toBe(false);
  });

  it('a cache directory that cannot be written changes nothing: same output, nothing on stderr', () => {
    const { cacheDir, run } = setup();
    writeFileSync(cacheDir, 'a file where the cache directory should be');
    const blocked = run();
    expect(blocked.use).toBe('miss');
    expect(blocked.status).toBe(0);
    expect(blocked.stdout).toContain('dry run: nothing was sent');
    expect(blocked.stderr, blocked.stderr).not.toMatch(/cache|EEXIST|ENOTDIR/i);
    expect(run().use).toBe('miss');
  });

  it("writing a bundle's cache keeps the two newest other bundles' files (another caphone in use) and removes older ones", () => {
    const { run, files } = setup();
    run();
    const [own] = files();
    const folder = join(own!, '..');
    // Other builds' caches, written an hour, two hours and three hours ago.
    const others = [1, 2, 3].map((hours) => {
      const file = join(folder, `commands-${String(hours).repeat(16)}-1-1.v8cache`);
      writeFileSync(file, 'another build');
      const when = new Date(Date.now() - hours * 3_600_000);
      utimesSync(file, when, when);
      return file;
    });
    writeFileSync(join(folder, 'notes.txt'), 'not ours');
    rmSync(own!);
    expect(run().use).toBe('miss');
    expect(files().sort()).toEqual([own, others[0], others[1], join(folder, 'notes.txt')].sort());
  });

  it('a bundle edited in place (same length) runs as edited: the cache is keyed by the file, not only by the build', () => {
    const copy = join(scratch.path, 'cli-copy');
    for (const part of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(join(CLI_ROOT, part), join(copy, part), { recursive: true });
    const { run } = setup(join(copy, 'bin', 'run.cjs'));
    expect(run().stdout).toContain('dry run: nothing was sent');
    const bundle = join(copy, 'dist', 'commands.cjs');
    const source = readFileSync(bundle, 'utf8');
    expect(source).toContain('dry run: nothing was sent');
    writeFileSync(bundle, source.replace('dry run: nothing was sent', 'DRY RUN: NOTHING WAS SENT'));
    const edited = run();
    expect(edited.use).toBe('miss');
    expect(edited.stdout).toContain('DRY RUN: NOTHING WAS SENT');
    // Edited to hold non-ASCII text, the bundle is read as UTF-8 (the build writes it in ASCII).
    writeFileSync(bundle, source.replace('dry run: nothing was sent', 'dry run: rien n’a été envoyé'));
    expect(run().stdout).toContain('dry run: rien n’a été envoyé');
  });

  it('the build writes the bundle in ASCII, which the loader reads without decoding UTF-8', () => {
    const bytes = readFileSync(join(CLI_ROOT, 'dist', 'commands.cjs'));
    expect(bytes.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });
});

describe("caphone's cache directory before oclif loads", () => {
  const home = () => '/home/someone';
  it("follows oclif's rule: CAPHONE_CACHE_DIR, macOS Caches, XDG_CACHE_HOME, LOCALAPPDATA, ~/.cache", () => {
    expect(caphoneCacheDir({ CAPHONE_CACHE_DIR: '/x', XDG_CACHE_HOME: '/y' }, 'linux', home)).toBe('/x');
    expect(caphoneCacheDir({ HOME: '/h' }, 'darwin', home)).toBe(join('/h', 'Library', 'Caches', 'caphone'));
    expect(caphoneCacheDir({ HOME: '/h', XDG_CACHE_HOME: '/y' }, 'linux', home)).toBe(join('/y', 'caphone'));
    expect(caphoneCacheDir({ HOME: '/h' }, 'linux', home)).toBe(join('/h', '.cache', 'caphone'));
    expect(caphoneCacheDir({}, 'linux', home)).toBe(join('/home/someone', '.cache', 'caphone'));
    expect(caphoneCacheDir({ USERPROFILE: 'C:\\Users\\s', LOCALAPPDATA: 'C:\\Users\\s\\AppData\\Local' }, 'win32', home)).toBe(join('C:\\Users\\s\\AppData\\Local', 'caphone'));
    expect(codeCacheDir({ HOME: '/h' }, 'linux', home)).toBe(join('/h', '.cache', 'caphone', 'code-cache'));
    expect(codeCacheDir({ HOME: '/h', NODE_DISABLE_COMPILE_CACHE: '1' }, 'linux', home)).toBeUndefined();
  });

  it("is the directory oclif's config gives the commands (where the token cache lives)", async () => {
    const saved = { ...process.env };
    try {
      for (const env of [{ CAPHONE_CACHE_DIR: join(scratch.path, 'own') }, { CAPHONE_CACHE_DIR: undefined, XDG_CACHE_HOME: join(scratch.path, 'xdg') }, { CAPHONE_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined }]) {
        for (const [key, value] of Object.entries(env)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
        const config = await Config.load({ root: CLI_ROOT });
        expect(caphoneCacheDir(process.env, process.platform, homedir)).toBe(config.cacheDir);
      }
    } finally {
      process.env = saved;
    }
  });
});
