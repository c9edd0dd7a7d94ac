import { DEFAULT_BASE_URL, validateCredentials } from '@cloudagent-phone/core';

/**
 * The edge's configuration, read from the environment: Worker vars and secrets on Cloudflare,
 * process.env on Node. Parsing is pure and total; problems name the variable and the rule, never a
 * value (the values are API keys).
 */
export interface AccountConfig {
  userName: string;
  apiKey: string;
  /** The account's "API Authentication" admin setting: BASIC_AUTH sends the key, TOKEN_AUTH a token. */
  auth: 'basic' | 'token';
}

export interface TeamConfig {
  name: string;
  /**
   * Lower-case hex SHA-256 of the team's bearer token (the token itself is never stored). Two during
   * a rotation: TEAMS may give a list, so the old and the new token both work until the old is dropped.
   */
  tokenSha256: string[];
  userNames: string[];
  /** Requests a minute this team may make; falls back to RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute: number;
  /** Every POST, PATCH and DELETE must carry an Idempotency-Key (400 without). Default false. */
  requireIdempotencyKey?: boolean;
}

export interface EdgeConfig {
  baseUrl: string;
  accounts: ReadonlyMap<string, AccountConfig>;
  teams: readonly TeamConfig[];
  /** How long one upstream call may take before it is cancelled and answered 504. */
  timeoutMs: number;
  /** Origins allowed by CORS; empty means no CORS headers at all. */
  corsOrigins: string[];
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

export type ConfigResult = { ok: true; config: EdgeConfig } | { ok: false; issues: ConfigIssue[] };

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The variables the edge reads; anything else in the environment is ignored. */
export interface EdgeEnv {
  CLOUDAGENT_BASE_URL?: unknown;
  CLOUDAGENT_ACCOUNTS?: unknown;
  TEAMS?: unknown;
  RATE_LIMIT_PER_MINUTE?: unknown;
  UPSTREAM_TIMEOUT_MS?: unknown;
  CORS_ORIGINS?: unknown;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Worker vars may be JSON values already; secrets and process.env are strings holding JSON. */
function jsonValue(raw: unknown, variable: string, issues: ConfigIssue[]): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    issues.push({ variable, message: `${variable} is not valid JSON` });
    return undefined;
  }
}

function positiveInt(raw: unknown, variable: string, fallback: number, issues: ConfigIssue[]): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(n) || n <= 0) {
    issues.push({ variable, message: `${variable} must be a positive whole number` });
    return fallback;
  }
  return n;
}

/** An optional true/false setting (JSON true or false; absent is false). */
function flag(raw: unknown, variable: string, where: string, issues: ConfigIssue[]): boolean {
  if (raw === undefined) return false;
  if (typeof raw !== 'boolean') issues.push({ variable, message: `${where} must be true or false` });
  return raw === true;
}

function parseBaseUrl(raw: unknown, issues: ConfigIssue[]): string {
  if (raw === undefined || raw === '') return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    issues.push({ variable: 'CLOUDAGENT_BASE_URL', message: 'CLOUDAGENT_BASE_URL must be an absolute URL' });
    return DEFAULT_BASE_URL;
  }
  // The API key travels in a header: plain http is only acceptable to a simulator on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    issues.push({ variable: 'CLOUDAGENT_BASE_URL', message: 'CLOUDAGENT_BASE_URL must use https (http only for 127.0.0.1 or localhost)' });
  }
  if (url.search || url.hash || url.username || url.password) {
    issues.push({ variable: 'CLOUDAGENT_BASE_URL', message: 'CLOUDAGENT_BASE_URL must not carry a query, fragment or credentials' });
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The account's "API Authentication" setting. Operators copy it from CloudAgent's admin screen, which
 * says BASIC_AUTH / TOKEN_AUTH, so those spellings are read as well as basic / token.
 */
function authMode(raw: unknown): 'basic' | 'token' | undefined {
  if (raw === undefined) return 'basic';
  if (typeof raw !== 'string') return undefined;
  const mode = raw.trim().toLowerCase();
  if (mode === 'basic' || mode === 'basic_auth') return 'basic';
  if (mode === 'token' || mode === 'token_auth') return 'token';
  return undefined;
}

function parseAccounts(raw: unknown, issues: ConfigIssue[]): Map<string, AccountConfig> {
  const accounts = new Map<string, AccountConfig>();
  const variable = 'CLOUDAGENT_ACCOUNTS';
  if (raw === undefined || raw === '') {
    issues.push({ variable, message: `${variable} is required: a JSON object mapping each CloudAgent user name to { "apiKey": "...", "auth": "basic" | "token" }` });
    return accounts;
  }
  const value = jsonValue(raw, variable, issues);
  if (value === undefined) return accounts;
  if (!isRecord(value)) {
    issues.push({ variable, message: `${variable} must be a JSON object keyed by user name` });
    return accounts;
  }
  for (const [userName, entry] of Object.entries(value)) {
    const where = `${variable}.${userName}`;
    if (!isRecord(entry)) {
      issues.push({ variable, message: `${where} must be an object with apiKey` });
      continue;
    }
    const credentials = validateCredentials({ userName, apiKey: entry.apiKey });
    if (!credentials.ok) {
      for (const issue of credentials.issues) issues.push({ variable, message: `${where}: ${issue.message}` });
      continue;
    }
    const auth = authMode(entry.auth);
    if (auth === undefined) {
      issues.push({ variable, message: `${where}.auth must be "basic" or "token" (or the admin setting's own words, BASIC_AUTH or TOKEN_AUTH)` });
      continue;
    }
    const unknown = Object.keys(entry).filter((k) => k !== 'apiKey' && k !== 'auth');
    if (unknown.length > 0) issues.push({ variable, message: `${where} has unknown fields: ${unknown.join(', ')}` });
    accounts.set(credentials.value.userName, { userName: credentials.value.userName, apiKey: entry.apiKey as string, auth });
  }
  if (accounts.size === 0 && !issues.some((i) => i.variable === variable)) {
    issues.push({ variable, message: `${variable} must configure at least one account` });
  }
  return accounts;
}

function parseTeams(raw: unknown, accounts: ReadonlyMap<string, AccountConfig>, defaultLimit: number, issues: ConfigIssue[]): TeamConfig[] {
  const variable = 'TEAMS';
  if (raw === undefined || raw === '') {
    issues.push({ variable, message: `${variable} is required: a JSON list of { "name", "tokenSha256", "userNames": [...] }` });
    return [];
  }
  const value = jsonValue(raw, variable, issues);
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ variable, message: `${variable} must be a JSON list of teams` });
    return [];
  }
  const teams: TeamConfig[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const where = `${variable}[${index}]`;
    if (!isRecord(entry)) {
      issues.push({ variable, message: `${where} must be an object` });
      return;
    }
    const { name, tokenSha256, userNames, rateLimitPerMinute } = entry;
    const before = issues.length;
    if (typeof name !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
      issues.push({ variable, message: `${where}.name must be 1 to 64 letters, digits, . _ or -` });
    } else if (names.has(name)) {
      issues.push({ variable, message: `${where}.name "${name}" is used twice` });
    } else {
      names.add(name);
    }
    const given: unknown[] = Array.isArray(tokenSha256) ? tokenSha256 : [tokenSha256];
    const teamHashes = given.map((h) => (typeof h === 'string' ? h.toLowerCase() : ''));
    if (teamHashes.length === 0 || teamHashes.length > 2 || !teamHashes.every((h) => SHA256_HEX.test(h))) {
      issues.push({ variable, message: `${where}.tokenSha256 must be the 64-character hex SHA-256 of the team's token (or a list of two, the old and the new, while rotating)` });
    } else if (teamHashes.some((h) => hashes.has(h))) {
      issues.push({ variable, message: `${where}.tokenSha256 is shared with another team; give each team its own token` });
    } else {
      for (const h of teamHashes) hashes.add(h);
    }
    if (!Array.isArray(userNames) || !userNames.every((u): u is string => typeof u === 'string')) {
      issues.push({ variable, message: `${where}.userNames must be a list of user names` });
    } else {
      for (const userName of userNames) {
        if (!accounts.has(userName)) issues.push({ variable, message: `${where}.userNames: "${userName}" is not in CLOUDAGENT_ACCOUNTS` });
      }
    }
    const limit = positiveInt(rateLimitPerMinute, `${where}.rateLimitPerMinute`, defaultLimit, issues);
    const requireIdempotencyKey = flag(entry.requireIdempotencyKey, variable, `${where}.requireIdempotencyKey`, issues);
    if (issues.length > before) return;
    teams.push({ name: name as string, tokenSha256: [...new Set(teamHashes)], userNames: [...(userNames as string[])], rateLimitPerMinute: limit, ...(requireIdempotencyKey ? { requireIdempotencyKey } : {}) });
  });
  return teams;
}

export function parseConfig(env: EdgeEnv): ConfigResult {
  const issues: ConfigIssue[] = [];
  const baseUrl = parseBaseUrl(env.CLOUDAGENT_BASE_URL, issues);
  const accounts = parseAccounts(env.CLOUDAGENT_ACCOUNTS, issues);
  const defaultLimit = positiveInt(env.RATE_LIMIT_PER_MINUTE, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE, issues);
  const teams = parseTeams(env.TEAMS, accounts, defaultLimit, issues);
  const timeoutMs = positiveInt(env.UPSTREAM_TIMEOUT_MS, 'UPSTREAM_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, issues);
  const corsOrigins =
    typeof env.CORS_ORIGINS === 'string' && env.CORS_ORIGINS.trim() !== ''
      ? env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
      : [];
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, config: { baseUrl, accounts, teams, timeoutMs, corsOrigins } };
}
