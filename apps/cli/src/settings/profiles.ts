import { readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REGIONS, type ApiVersion, type Region } from '@cloudagent-phone/core';
import { usageError } from '../cli-error.js';

/** One named target. Everything is optional: whatever a profile leaves out comes from env or defaults. */
export interface Profile {
  baseUrl?: string;
  region?: Region;
  userName?: string;
  apiVersion?: ApiVersion;
  auth?: 'basic' | 'token';
  /**
   * Stored only when the person asked for it (`config set --api-key-stdin`), in a 0600 file in a
   * 0700 directory, like ~/.netrc or gh's hosts.yml. The environment is still preferred.
   */
  apiKey?: string;
  /** A cloudagent-phone edge to go through instead of CloudAgent (then apiKey is not needed). */
  edgeUrl?: string;
  /** The team's token for that edge; stored only when piped with `config set --edge-token-stdin`. */
  edgeToken?: string;
}

export interface ProfilesFile {
  version: 1;
  /** The profile used when neither --profile nor CAPHONE_PROFILE names one. */
  default?: string;
  profiles: Record<string, Profile>;
}

export const PROFILES_FILE = 'profiles.json';
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function profilesPath(configDir: string): string {
  return join(configDir, PROFILES_FILE);
}

function empty(): ProfilesFile {
  return { version: 1, profiles: {} };
}

const PROFILE_KEYS: readonly (keyof Profile)[] = ['baseUrl', 'region', 'userName', 'apiVersion', 'auth', 'apiKey', 'edgeUrl', 'edgeToken'];

/** Reads what a hand-edited file might hold, keeping only known, well-typed fields. */
function sanitize(raw: unknown, path: string): ProfilesFile {
  if (typeof raw !== 'object' || raw === null || typeof (raw as ProfilesFile).profiles !== 'object') {
    throw usageError(`${path} is not a caphone profiles file`, `fix or delete ${path}, then run caphone config set again`);
  }
  const file = raw as ProfilesFile;
  const out = empty();
  if (typeof file.default === 'string') out.default = file.default;
  for (const [name, value] of Object.entries(file.profiles ?? {})) {
    if (typeof value !== 'object' || value === null) continue;
    const profile: Profile = {};
    for (const key of PROFILE_KEYS) {
      const v = (value as Record<string, unknown>)[key];
      if (typeof v === 'string' && v !== '') (profile as Record<string, string>)[key] = v;
    }
    if (profile.region && !Object.hasOwn(REGIONS, profile.region)) delete profile.region;
    if (profile.apiVersion && profile.apiVersion !== 'v1' && profile.apiVersion !== 'v2') delete profile.apiVersion;
    if (profile.auth && profile.auth !== 'basic' && profile.auth !== 'token') delete profile.auth;
    out.profiles[name] = profile;
  }
  return out;
}

export interface LoadedProfiles {
  file: ProfilesFile;
  /** Set when the file can be read by others: worth a warning when it holds a key. */
  looseMode?: number;
}

/**
 * Synchronous on purpose: every command reads this small file once, at start, with nothing else to
 * do meanwhile; an fs/promises read waits for the thread pool, which costs more than the read on a
 * loaded machine. Async in its signature so callers need not care.
 */
export async function readProfiles(configDir: string): Promise<LoadedProfiles> {
  const path = profilesPath(configDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: empty() };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw usageError(`${path} is not valid JSON`, `fix or delete ${path}, then run caphone config set again`);
  }
  const file = sanitize(raw, path);
  const mode = statSync(path).mode & 0o777;
  return (mode & 0o077) !== 0 ? { file, looseMode: mode } : { file };
}

/** Writes atomically (temp file, then rename) with 0600, in a 0700 directory. */
export async function writeProfiles(configDir: string, file: ProfilesFile): Promise<string> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const path = profilesPath(configDir);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // The mode passed to writeFile is filtered by the umask; chmod makes it exact.
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw usageError(
      `--profile must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (got "${name}")`,
      'pick a simple name such as "prod" or "partner-eu"',
    );
  }
  return name;
}

/**
 * The profile a command uses: the one named (by --profile or CAPHONE_PROFILE), else the file's
 * default, else none. Naming a profile that does not exist is an error, not a silent fallback.
 */
export function selectProfile(file: ProfilesFile, named: string | undefined): { profileName?: string; profile?: Profile } {
  const profileName = named !== undefined ? checkProfileName(named) : file.default;
  const profile = profileName !== undefined ? file.profiles[profileName] : undefined;
  if (named !== undefined && profile === undefined) {
    throw usageError(`no profile named "${named}"`, `create it with: caphone config set --profile ${named} --user NAME (see caphone config list)`);
  }
  return { ...(profileName !== undefined ? { profileName } : {}), ...(profile ? { profile } : {}) };
}
