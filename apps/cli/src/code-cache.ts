import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheOptions {
  /** The folder for cache files (`<caphone cache dir>/code-cache`); undefined: compile, cache nothing. */
  dir: string | undefined;
  /** The build's hash of the bundle (scripts/build.mjs). */
  bundleHash: string;
}

/** What `loadBundle` did with the cache, printed on stderr under `CAPHONE_DEBUG_CODE_CACHE=1`. */
type CodeCacheUse = 'off' | 'hit' | 'miss' | 'rejected' | 'untrusted';

/** Parameters of Node's CommonJS wrapper, in its order. */
const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/**
 * Loads the CLI's bundle (dist/commands.cjs) through V8's code cache, as Node 22's
 * `module.enableCompileCache()` does for every module and as `v8-compile-cache` did before it.
 *
 * Why: compiling the ~700 KB bundle (the top level eagerly, then every function the run calls)
 * was the largest part of a real command's start-up on Node 20, which has no compile cache of its
 * own. The first run compiles as before and, at exit, writes what V8 compiled (bytecode, not
 * values: no flag, key or answer is in it) to caphone's cache directory; every later run
 * deserialises that instead of compiling. Measured: a real `phone edit` about 40 ms of CPU less.
 *
 * The cache is only an optimisation, so nothing about it may change what a run does: any failure
 * to read, trust or write it is silent, and the bundle is then compiled as Node would.
 * - One file per bundle per Node version and architecture: the name carries the build's hash of
 *   the bundle and the file's size and mtime (a bundle edited in place, e.g. while debugging, gets
 *   a new cache rather than stale bytecode: V8 itself checks only the source's length). Writing a
 *   new one keeps the two newest other bundles' files in that folder (another install of caphone
 *   used beside this one would otherwise make each run throw away the other's cache) and removes
 *   older ones (an upgraded caphone's).
 * - V8 rejects a cache from another V8 version or other V8 flags (`--expose-gc`, `--jitless`): the
 *   run then compiles, and rewrites the file for the flags it ran with.
 * - Bytecode is code: a cache file is used only if it is a regular file owned by this user that
 *   nobody else may write (the folder is created 0700, the file written 0600), as ssh treats its keys.
 * - Written to a temporary file and renamed over the old one: concurrent runs never read half a file.
 * - `NODE_DISABLE_COMPILE_CACHE` (Node's own switch for its compile cache) turns it off.
 * Returns the bundle's exports.
 */
export function loadBundle(file: string, options: CodeCacheOptions): Record<string, unknown> {
  const fd = openSync(file, 'r');
  let source: string;
  let cacheFile: string | undefined;
  try {
    const stat = fstatSync(fd);
    // The build writes the bundle in ASCII (scripts/build.mjs): read as Latin-1 it becomes a
    // one-byte string without UTF-8 decoding (about 2% of a real command's instructions). Anything
    // else (a bundle edited by hand) is read as UTF-8.
    const bytes = readFileSync(fd);
    source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
    if (options.dir !== undefined) {
      const name = `${basename(file).replace(/\.[cm]?js$/, '')}-${options.bundleHash}-${stat.size}-${Math.trunc(stat.mtimeMs)}.v8cache`;
      cacheFile = join(options.dir, `${process.version}-${process.arch}`, name);
    }
  } finally {
    closeSync(fd);
  }
  const cached = cacheFile === undefined ? undefined : readTrusted(cacheFile);
  const script = new Script(`(function (${WRAPPER_PARAMS.join(', ')}) {${source}\n})`, { filename: file, cachedData: cached?.bytes });
  const cache: CodeCacheUse = cacheFile === undefined ? 'off' : cached === undefined ? 'miss' : cached.trusted ? (script.cachedDataRejected ? 'rejected' : 'hit') : 'untrusted';

  // The bundle as a CommonJS module in Node's require cache, so that a `require` of its path (oclif
  // loading the hooks that package.json points at) gets this instance, not a second copy.
  const module = new Module(file);
  module.filename = file;
  const require = createRequire(file);
  require.cache[file] = module;
  try {
    script.runInThisContext()(module.exports, require, module, file, dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;

  if (cacheFile !== undefined && cache !== 'hit') {
    const target = cacheFile;
    // At exit the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCache(target, () => script.createCachedData()));
  }
  if (process.env.CAPHONE_DEBUG_CODE_CACHE === '1') process.stderr.write(`caphone code cache: ${cache} ${cacheFile ?? ''}\n`);
  return module.exports as Record<string, unknown>;
}

/** The file's bytes, and whether this user alone can have written it (POSIX; Windows has no mode bits to check). */
function readTrusted(file: string): { bytes: Buffer | undefined; trusted: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    const trusted = stat.isFile() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0));
    return { bytes: trusted ? readFileSync(fd) : undefined, trusted };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Other bundles' cache files kept per folder when one is written (each about 590 KB). */
const KEEP_OTHER_BUNDLES = 2;

/** Runs at exit: must never throw (an exception there would change the run's exit code). */
function writeCache(file: string, data: () => Buffer): void {
  const dir = dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, data(), { mode: 0o600 });
    renameSync(temporary, file);
    const prefix = `${basename(file).split('-')[0]}-`;
    const others = readdirSync(dir)
      .filter((name) => name !== basename(file) && name.startsWith(prefix) && name.endsWith('.v8cache'))
      .map((name) => ({ path: join(dir, name), written: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.written - a.written);
    for (const old of others.slice(KEEP_OTHER_BUNDLES)) rmSync(old.path, { force: true });
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The folder could not be made (a file in its place): there is no temporary file either.
    }
  }
}

/**
 * caphone's cache directory, by oclif's rule (`Config#cacheDir`), for use before oclif has
 * loaded: `CAPHONE_CACHE_DIR`, else `~/Library/Caches/caphone` on macOS, else
 * `$XDG_CACHE_HOME/caphone`, `%LOCALAPPDATA%\caphone` on Windows, or `~/.cache/caphone`.
 */
export function caphoneCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, homedir: () => string): string {
  if (env.CAPHONE_CACHE_DIR) return env.CAPHONE_CACHE_DIR;
  const windows = platform === 'win32';
  const home = env.HOME || (windows && ((env.HOMEDRIVE && env.HOMEPATH && join(env.HOMEDRIVE, env.HOMEPATH)) || env.USERPROFILE)) || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'caphone');
  return join(env.XDG_CACHE_HOME || (windows && env.LOCALAPPDATA) || join(home, '.cache'), 'caphone');
}

/** Where loadBundle keeps its files: undefined when `NODE_DISABLE_COMPILE_CACHE` is set. */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, homedir: () => string): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  return join(caphoneCacheDir(env, platform, homedir), 'code-cache');
}
