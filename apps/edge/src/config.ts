import { DEFAULT_BASE_URL, checkBaseUrl, validateCredentials } from '@cloudagent-phone/core';
import { duplicateTopLevelKeys } from './json-duplicates.js';

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
  /**
   * Set when the team's own entry is wrong (a duplicate name, a token shared with another team, a
   * bad limit): its token is still recognised, and its calls get a 503 saying so.
   */
  disabled?: string;
  /** Every POST, PATCH and DELETE must carry an Idempotency-Key (400 without). Default false. */
  requireIdempotencyKey?: boolean;
}

export interface EdgeConfig {
  baseUrl: string;
  /** The usable accounts. */
  accounts: ReadonlyMap<string, AccountConfig>;
  /** Accounts whose entry is wrong, with why: teams granted one get a 503 for it, nothing is sent. */
  disabledAccounts: ReadonlyMap<string, string>;
  teams: readonly TeamConfig[];
  /** What is wrong but contained (a bad account or team); `/healthz` counts them, the log names them. */
  problems: readonly ConfigIssue[];
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
  // Core's one rule: https, plain http only to this machine; no credentials, query or fragment.
  const checked = checkBaseUrl(String(raw));
  if (checked.ok) return checked.url;
  issues.push({ variable: 'CLOUDAGENT_BASE_URL', message: `CLOUDAGENT_BASE_URL ${checked.message}` });
  return DEFAULT_BASE_URL;
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

interface ParsedAccounts {
  accounts: Map<string, AccountConfig>;
  disabled: Map<string, string>;
}

/**
 * A bad entry disables that account only. A user name given twice is caught in the raw text:
 * JSON.parse would silently keep the last one, and the wrong key would be used.
 */
function parseAccounts(raw: unknown, issues: ConfigIssue[], problems: ConfigIssue[]): ParsedAccounts {
  const out: ParsedAccounts = { accounts: new Map(), disabled: new Map() };
  const variable = 'CLOUDAGENT_ACCOUNTS';
  if (raw === undefined || raw === '') {
    issues.push({ variable, message: `${variable} is required: a JSON object mapping each CloudAgent user name to { "apiKey": "...", "auth": "basic" | "token" }` });
    return out;
  }
  const value = jsonValue(raw, variable, issues);
  if (value === undefined) return out;
  if (!isRecord(value)) {
    issues.push({ variable, message: `${variable} must be a JSON object keyed by user name` });
    return out;
  }
  const twice = new Set(typeof raw === 'string' ? duplicateTopLevelKeys(raw) : []);
  const disable = (userName: string, message: string) => {
    problems.push({ variable, message });
    if (!out.disabled.has(userName)) out.disabled.set(userName, message);
  };
  for (const [userName, entry] of Object.entries(value)) {
    const where = `${variable}.${userName}`;
    if (twice.has(userName)) {
      disable(userName, `${where} is given twice; remove one (JSON keeps only the last, silently)`);
      continue;
    }
    if (!isRecord(entry)) {
      disable(userName, `${where} must be an object with apiKey`);
      continue;
    }
    const credentials = validateCredentials({ userName, apiKey: entry.apiKey });
    if (!credentials.ok) {
      const message = credentials.issues.map((issue) => `${where}: ${issue.message}`).join('; ');
      // A key name no request can carry is not an account; but keep the name to answer its teams.
      disable(userName, message);
      continue;
    }
    const auth = authMode(entry.auth);
    if (auth === undefined) {
      disable(userName, `${where}.auth must be "basic" or "token" (or the admin setting's own words, BASIC_AUTH or TOKEN_AUTH)`);
      continue;
    }
    const unknown = Object.keys(entry).filter((k) => k !== 'apiKey' && k !== 'auth');
    if (unknown.length > 0) {
      disable(userName, `${where} has unknown fields: ${unknown.join(', ')}`);
      continue;
    }
    out.accounts.set(credentials.value.userName, { userName: credentials.value.userName, apiKey: entry.apiKey as string, auth });
  }
  if (out.accounts.size === 0 && out.disabled.size === 0) {
    issues.push({ variable, message: `${variable} must configure at least one account` });
  }
  return out;
}

/**
 * A bad entry disables that team only. A team whose token hash is unreadable cannot be recognised
 * (its callers get 401); any other fault leaves the token recognised and answers that team 503.
 * Two teams sharing a name or a token are both disabled: which one a call belongs to is unknown.
 * A grant of an account that is missing or disabled is answered 503 for that account only.
 */
function parseTeams(raw: unknown, accounts: ParsedAccounts, defaultLimit: number, issues: ConfigIssue[], problems: ConfigIssue[]): TeamConfig[] {
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
  const byName = new Map<string, TeamConfig[]>();
  const byHash = new Map<string, TeamConfig[]>();
  value.forEach((entry: unknown, index) => {
    const where = `${variable}[${index}]`;
    const problem = (message: string) => problems.push({ variable, message });
    if (!isRecord(entry)) {
      problem(`${where} must be an object; the entry is ignored`);
      return;
    }
    const { name, tokenSha256, userNames, rateLimitPerMinute } = entry;
    const given: unknown[] = Array.isArray(tokenSha256) ? tokenSha256 : [tokenSha256];
    const teamHashes = given.map((h) => (typeof h === 'string' ? h.toLowerCase() : ''));
    if (teamHashes.length === 0 || teamHashes.length > 2 || !teamHashes.every((h) => SHA256_HEX.test(h))) {
      problem(`${where}.tokenSha256 must be the 64-character hex SHA-256 of the team's token (or a list of two, the old and the new, while rotating); the team is disabled`);
      return;
    }
    const faults: string[] = [];
    const validName = typeof name === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(name);
    if (!validName) faults.push(`${where}.name must be 1 to 64 letters, digits, . _ or -`);
    const grants = Array.isArray(userNames) && userNames.every((u): u is string => typeof u === 'string') ? [...new Set(userNames)] : undefined;
    if (!grants) faults.push(`${where}.userNames must be a list of user names`);
    for (const userName of grants ?? []) {
      if (!accounts.accounts.has(userName) && !accounts.disabled.has(userName)) {
        problem(`${where}.userNames: "${userName}" is not in CLOUDAGENT_ACCOUNTS; calls for it are answered 503`);
      }
    }
    const limitIssues: ConfigIssue[] = [];
    const limit = positiveInt(rateLimitPerMinute, `${where}.rateLimitPerMinute`, defaultLimit, limitIssues);
    const requireIdempotencyKey = flag(entry.requireIdempotencyKey, variable, `${where}.requireIdempotencyKey`, limitIssues);
    for (const i of limitIssues) faults.push(i.message);
    const team: TeamConfig = {
      name: validName ? (name as string) : where,
      tokenSha256: [...new Set(teamHashes)],
      userNames: grants ?? [],
      rateLimitPerMinute: limit,
      ...(requireIdempotencyKey ? { requireIdempotencyKey } : {}),
      ...(faults.length > 0 ? { disabled: faults.join('; ') } : {}),
    };
    for (const fault of faults) problem(`${fault}; the team is disabled`);
    teams.push(team);
    if (validName) byName.set(team.name, [...(byName.get(team.name) ?? []), team]);
    for (const h of team.tokenSha256) byHash.set(h, [...(byHash.get(h) ?? []), team]);
  });
  for (const [teamName, same] of byName) {
    if (same.length < 2) continue;
    problems.push({ variable, message: `${variable}: the name "${teamName}" is used by ${same.length} teams; each is disabled until the names are unique` });
    for (const t of same) t.disabled ??= `the team name "${teamName}" is used twice in TEAMS`;
  }
  for (const same of byHash.values()) {
    if (same.length < 2) continue;
    problems.push({ variable, message: `${variable}: ${same.map((t) => t.name).join(' and ')} share a token hash; give each team its own token (both are disabled)` });
    for (const t of same) t.disabled ??= 'the team shares its token with another team in TEAMS';
  }
  return teams;
}

/**
 * Parses the environment. What cannot be read at all (a variable that is not JSON, a bad base URL)
 * stops everything: `ok: false`. A bad account or team is contained: it is listed in `problems`
 * and disabled, and everything else works.
 */
export function parseConfig(env: EdgeEnv): ConfigResult {
  const issues: ConfigIssue[] = [];
  const baseUrl = parseBaseUrl(env.CLOUDAGENT_BASE_URL, issues);
  const problems: ConfigIssue[] = [];
  const accounts = parseAccounts(env.CLOUDAGENT_ACCOUNTS, issues, problems);
  const defaultLimit = positiveInt(env.RATE_LIMIT_PER_MINUTE, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE, issues);
  const teams = parseTeams(env.TEAMS, accounts, defaultLimit, issues, problems);
  const timeoutMs = positiveInt(env.UPSTREAM_TIMEOUT_MS, 'UPSTREAM_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, issues);
  const corsOrigins =
    typeof env.CORS_ORIGINS === 'string' && env.CORS_ORIGINS.trim() !== ''
      ? env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
      : [];
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, config: { baseUrl, accounts: accounts.accounts, disabledAccounts: accounts.disabled, teams, problems, timeoutMs, corsOrigins } };
}
