import { DEFAULT_BASE_URL, REGIONS, checkBaseUrl as checkCoreBaseUrl, type ApiVersion, type Region } from '@cloudagent-phone/core';
import { usageError } from '../cli-error.js';
import type { Profile } from './profiles.js';

export type Source = 'flag' | 'stdin' | 'env' | 'profile' | 'default';

/** Where a command sends, as whom, and how. */
export interface Target {
  baseUrl: string;
  userName: string | undefined;
  apiKey: string | undefined;
  apiVersion: ApiVersion;
  auth: 'basic' | 'token';
  profile: string | undefined;
  sources: { baseUrl: Source; userName: Source | undefined; apiKey: Source | undefined; apiVersion: Source; auth: Source };
  /**
   * Set when commands go through a cloudagent-phone edge instead of CloudAgent: the edge holds the
   * CloudAgent key, the team holds only its team token.
   */
  edge?: EdgeTarget;
}

export interface EdgeTarget {
  url: string;
  token: string | undefined;
  sources: { url: Source; token: Source | undefined };
}

export interface TargetFlags {
  'base-url'?: string | undefined;
  region?: string | undefined;
  user?: string | undefined;
  api?: string | undefined;
  auth?: string | undefined;
  'edge-url'?: string | undefined;
}

/** The variables the CLI reads, and nothing else from the environment. */
export const ENV = {
  apiKey: 'CLOUDAGENT_API_KEY',
  userName: 'CLOUDAGENT_USERNAME',
  baseUrl: 'CLOUDAGENT_BASE_URL',
  region: 'CLOUDAGENT_REGION',
  apiVersion: 'CLOUDAGENT_API_VERSION',
  auth: 'CLOUDAGENT_AUTH',
  profile: 'CAPHONE_PROFILE',
  edgeUrl: 'CAPHONE_EDGE_URL',
  edgeToken: 'CAPHONE_EDGE_TOKEN',
} as const;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function pick<T>(...candidates: [T | undefined, Source][]): [T, Source] | undefined {
  for (const [value, source] of candidates) if (value !== undefined) return [value, source];
  return undefined;
}

function region(value: string, where: string): string {
  if (!Object.hasOwn(REGIONS, value)) {
    throw usageError(`${where} must be one of ${Object.keys(REGIONS).join(', ')} (got "${value}")`, 'or give the host itself with --base-url / CLOUDAGENT_BASE_URL');
  }
  return REGIONS[value as Region];
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], where: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw usageError(`${where} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function checkEdgeUrl(url: string, where: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw usageError(`${where} must be the edge's bare http(s) URL, e.g. https://phone-edge.example.workers.dev (got "${url}")`);
  }
  return url.replace(/\/+$/, '');
}

/** Core's one base-URL rule (https; plain http only to this machine; no credentials, query or fragment). */
function checkBaseUrl(url: string, where: string): string {
  const checked = checkCoreBaseUrl(url);
  // The value is not quoted back: it may carry credentials.
  if (!checked.ok) throw usageError(`${where} ${checked.message}`, `use e.g. ${DEFAULT_BASE_URL}`);
  return checked.url;
}

/**
 * Flags over environment over profile over defaults, field by field. The API key has no flag:
 * `--api-key-stdin` (read by the caller) beats the environment, which beats the profile.
 * Pure: the caller hands in the environment, the profile and the key read from stdin.
 */
export function resolveTarget(input: {
  flags: TargetFlags;
  env: Readonly<Record<string, string | undefined>>;
  profile?: Profile;
  profileName?: string;
  stdinKey?: string;
  stdinEdgeToken?: string;
}): Target {
  const { flags, env, profile = {} } = input;
  const edgeUrl = pick<string>(
    [nonEmpty(flags['edge-url']) && checkEdgeUrl(flags['edge-url']!.trim(), '--edge-url'), 'flag'],
    [nonEmpty(env[ENV.edgeUrl]) && checkEdgeUrl(env[ENV.edgeUrl]!.trim(), ENV.edgeUrl), 'env'],
    [profile.edgeUrl && checkEdgeUrl(profile.edgeUrl, `profile ${input.profileName}'s edgeUrl`), 'profile'],
  );
  const edgeToken = pick<string>([nonEmpty(input.stdinEdgeToken), 'stdin'], [nonEmpty(env[ENV.edgeToken]), 'env'], [nonEmpty(profile.edgeToken), 'profile']);

  const baseUrl = pick<string>(
    [nonEmpty(flags['base-url']) && checkBaseUrl(flags['base-url']!.trim(), '--base-url'), 'flag'],
    [flags.region !== undefined ? region(flags.region, '--region') : undefined, 'flag'],
    [nonEmpty(env[ENV.baseUrl]) && checkBaseUrl(env[ENV.baseUrl]!.trim(), ENV.baseUrl), 'env'],
    [nonEmpty(env[ENV.region]) && region(env[ENV.region]!.trim(), ENV.region), 'env'],
    [profile.baseUrl && checkBaseUrl(profile.baseUrl, `profile ${input.profileName}'s baseUrl`), 'profile'],
    [profile.region && REGIONS[profile.region], 'profile'],
    [DEFAULT_BASE_URL, 'default'],
  )!;

  const userName = pick<string>([nonEmpty(flags.user), 'flag'], [nonEmpty(env[ENV.userName]), 'env'], [nonEmpty(profile.userName), 'profile']);
  const apiKey = pick<string>([nonEmpty(input.stdinKey), 'stdin'], [nonEmpty(env[ENV.apiKey]), 'env'], [nonEmpty(profile.apiKey), 'profile']);

  const versions = ['v1', 'v2'] as const;
  const apiVersion = pick<ApiVersion>(
    [oneOf(flags.api, versions, '--api'), 'flag'],
    [oneOf(nonEmpty(env[ENV.apiVersion]), versions, ENV.apiVersion), 'env'],
    [profile.apiVersion, 'profile'],
    ['v2', 'default'],
  )!;
  const modes = ['basic', 'token'] as const;
  const auth = pick<'basic' | 'token'>(
    [oneOf(flags.auth, modes, '--auth'), 'flag'],
    [oneOf(nonEmpty(env[ENV.auth]), modes, ENV.auth), 'env'],
    [profile.auth, 'profile'],
    ['basic', 'default'],
  )!;

  return {
    baseUrl: baseUrl[0],
    userName: userName?.[0],
    apiKey: apiKey?.[0],
    apiVersion: apiVersion[0],
    auth: auth[0],
    profile: input.profileName,
    sources: { baseUrl: baseUrl[1], userName: userName?.[1], apiKey: apiKey?.[1], apiVersion: apiVersion[1], auth: auth[1] },
    ...(edgeUrl ? { edge: { url: edgeUrl[0], token: edgeToken?.[0], sources: { url: edgeUrl[1], token: edgeToken?.[1] } } } : {}),
  };
}
