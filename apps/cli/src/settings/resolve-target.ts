import { DEFAULT_BASE_URL, REGIONS, baseUrlRule, checkBaseUrl, checkConfig, oneOfRule, type ApiVersion, type ConfigRule, type Region } from '@cloudagent-phone/core';
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

const VERSIONS = ['v1', 'v2'] as const;
const MODES = ['basic', 'token'] as const;
const REGION_RULE: ConfigRule = { ...oneOfRule(Object.keys(REGIONS)), rule: 'region' };
// Core's one rule for a base URL (https; plain http only to this machine; no credentials, query or
// fragment): CloudAgent's, and an edge's, which carries the team token the same way.
const BASE_URL_RULE = baseUrlRule();

/** A URL that checkConfig accepted, in core's canonical form (no trailing slash). */
function canonicalUrl(value: string): string {
  const checked = checkBaseUrl(value.trim());
  return checked.ok ? checked.url : value.trim();
}

/**
 * Every value given, wherever it came from, is checked before any is used, and every bad one is
 * named at once (flag, variable or profile field, with the rule; never the value: a URL may hold
 * credentials). A bad value is an error even where a higher source overrides it: it would bite
 * the next run that lacks the override.
 */
function checkTargetInput(input: { flags: TargetFlags; env: Readonly<Record<string, string | undefined>>; profile: Profile; profileName?: string }): void {
  const { flags, env, profile } = input;
  const inProfile = (field: string) => `profile ${input.profileName}'s ${field}`;
  const given: [string, unknown, ConfigRule][] = [
    ['--edge-url', flags['edge-url'], BASE_URL_RULE],
    [ENV.edgeUrl, env[ENV.edgeUrl], BASE_URL_RULE],
    [inProfile('edgeUrl'), profile.edgeUrl, BASE_URL_RULE],
    ['--base-url', flags['base-url'], BASE_URL_RULE],
    ['--region', flags.region, REGION_RULE],
    [ENV.baseUrl, env[ENV.baseUrl], BASE_URL_RULE],
    [ENV.region, env[ENV.region], REGION_RULE],
    [inProfile('baseUrl'), profile.baseUrl, BASE_URL_RULE],
    ['--api', flags.api, oneOfRule(VERSIONS)],
    [ENV.apiVersion, env[ENV.apiVersion], oneOfRule(VERSIONS)],
    ['--auth', flags.auth, oneOfRule(MODES)],
    [ENV.auth, env[ENV.auth], oneOfRule(MODES)],
  ];
  const values: Record<string, unknown> = {};
  const rules: Record<string, ConfigRule> = {};
  for (const [name, value, rule] of given) {
    values[name] = value;
    rules[name] = rule;
  }
  const issues = checkConfig(values, rules);
  if (issues.length === 0) return;
  const urls = issues.some((issue) => issue.rule.startsWith('base-url'));
  throw usageError(issues.map((issue) => issue.message).join('; '), urls ? `use e.g. ${DEFAULT_BASE_URL} (an edge: its https URL, e.g. https://phone-edge.example.workers.dev)` : 'fix each one named, then run the command again');
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
  checkTargetInput({ flags, env, profile, ...(input.profileName !== undefined ? { profileName: input.profileName } : {}) });
  const url = (value: string | undefined) => (value === undefined ? undefined : canonicalUrl(value));
  const edgeUrl = pick<string>([url(nonEmpty(flags['edge-url'])), 'flag'], [url(nonEmpty(env[ENV.edgeUrl])), 'env'], [url(nonEmpty(profile.edgeUrl)), 'profile']);
  const edgeToken = pick<string>([nonEmpty(input.stdinEdgeToken), 'stdin'], [nonEmpty(env[ENV.edgeToken]), 'env'], [nonEmpty(profile.edgeToken), 'profile']);

  const region = (value: string | undefined) => (value === undefined ? undefined : REGIONS[value.trim().toLowerCase() as Region]);
  const baseUrl = pick<string>(
    [url(nonEmpty(flags['base-url'])), 'flag'],
    [region(nonEmpty(flags.region)), 'flag'],
    [url(nonEmpty(env[ENV.baseUrl])), 'env'],
    [region(nonEmpty(env[ENV.region])), 'env'],
    [url(nonEmpty(profile.baseUrl)), 'profile'],
    [profile.region && REGIONS[profile.region], 'profile'],
    [DEFAULT_BASE_URL, 'default'],
  )!;

  const userName = pick<string>([nonEmpty(flags.user), 'flag'], [nonEmpty(env[ENV.userName]), 'env'], [nonEmpty(profile.userName), 'profile']);
  const apiKey = pick<string>([nonEmpty(input.stdinKey), 'stdin'], [nonEmpty(env[ENV.apiKey]), 'env'], [nonEmpty(profile.apiKey), 'profile']);

  const word = <T extends string>(value: string | undefined) => nonEmpty(value)?.toLowerCase() as T | undefined;
  const apiVersion = pick<ApiVersion>([word(flags.api), 'flag'], [word(env[ENV.apiVersion]), 'env'], [profile.apiVersion, 'profile'], ['v2', 'default'])!;
  const auth = pick<'basic' | 'token'>([word(flags.auth), 'flag'], [word(env[ENV.auth]), 'env'], [profile.auth, 'profile'], ['basic', 'default'])!;

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
