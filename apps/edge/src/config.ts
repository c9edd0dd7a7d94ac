import {
  DEFAULT_BASE_URL,
  RULES,
  apiKeySchema,
  baseUrlRule,
  checkBaseUrl,
  checkConfig,
  oneOfRule,
  textRule,
  userNameSchema,
  valueRule,
  wholeNumberRule,
  type ConfigIssue,
  type ConfigRule,
} from '@cloudagent-phone/core';
import { duplicateTopLevelKeys } from './json-duplicates.js';

/**
 * The edge's configuration, read from the environment: Worker vars and secrets on Cloudflare,
 * process.env on Node. Parsing is pure and total. Every check is a core `checkConfig` rule (a zod/mini
 * schema), the style the shim and the CLI share: each issue names the variable (or the entry's
 * field, `TEAMS[0].name`) and the rule, and never a value (the values are API keys).
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

export type { ConfigIssue };

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

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Worker vars may be JSON values already; secrets and process.env are strings holding JSON. Undefined: not JSON. */
function jsonValue(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A variable holding JSON of a shape: `json` when it is no JSON at all, its own rule otherwise. */
function jsonRule(rule: string, message: string, test: (value: unknown) => boolean): ConfigRule {
  return {
    ...valueRule(rule, message, (v) => test(jsonValue(v))),
    required: true,
    explain: (v) => (jsonValue(v) === undefined ? { rule: 'json', message: 'is not valid JSON' } : undefined),
  };
}

/** What stops the edge (503 everywhere) when it is wrong, in the order an operator reads the README. */
const RULES_BY_VARIABLE: Record<string, ConfigRule> = {
  CLOUDAGENT_BASE_URL: baseUrlRule(),
  CLOUDAGENT_ACCOUNTS: jsonRule(
    'accounts',
    'must be a JSON object mapping each CloudAgent user name to { "apiKey": "...", "auth": "basic" | "token" }, with at least one account',
    (v) => isRecord(v) && Object.keys(v).length > 0,
  ),
  RATE_LIMIT_PER_MINUTE: wholeNumberRule(1),
  TEAMS: jsonRule('teams', 'must be a JSON list of teams, each { "name", "tokenSha256", "userNames": [...] }', Array.isArray),
  UPSTREAM_TIMEOUT_MS: wholeNumberRule(1),
};

/** The fields of one account in CLOUDAGENT_ACCOUNTS. */
const ACCOUNT_RULES: Record<string, ConfigRule> = {
  apiKey: { schema: apiKeySchema, rule: RULES.apiKey.id, message: RULES.apiKey.message, required: true },
  // The account's "API Authentication" admin setting, also as the admin screen spells it (BASIC_AUTH, TOKEN_AUTH).
  auth: oneOfRule(['basic', 'token', 'basic_auth', 'token_auth']),
};

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** The fields of one team in TEAMS. */
const TEAM_RULES: Record<string, ConfigRule> = {
  name: { ...textRule('team-name', 'must be 1 to 64 letters, digits, . _ or -', (v) => /^[A-Za-z0-9._-]{1,64}$/.test(v)), required: true },
  tokenSha256: {
    ...valueRule('token-sha256', "must be the 64-character hex SHA-256 of the team's token (or a list of two, the old and the new, while rotating)", (v) => {
      const hashes: unknown[] = Array.isArray(v) ? v : [v];
      return hashes.length > 0 && hashes.length <= 2 && hashes.every((h) => typeof h === 'string' && SHA256_HEX.test(h));
    }),
    required: true,
  },
  userNames: { ...valueRule('user-names', 'must be a list of user names', (v) => Array.isArray(v) && v.every((u) => typeof u === 'string')), required: true },
  rateLimitPerMinute: wholeNumberRule(1),
  requireIdempotencyKey: valueRule('true-or-false', 'must be true or false', (v) => typeof v === 'boolean'),
};

/** A whole number checkConfig accepted, or the default when it is absent. */
function wholeNumber(raw: unknown, fallback: number): number {
  return raw === undefined || String(raw).trim() === '' ? fallback : Number(raw);
}

interface ParsedAccounts {
  accounts: Map<string, AccountConfig>;
  disabled: Map<string, string>;
}

/** What is wrong with one entry of CLOUDAGENT_ACCOUNTS: every issue, each naming its field. */
function accountIssues(userName: string, entry: unknown, givenTwice: boolean): ConfigIssue[] {
  const where = `CLOUDAGENT_ACCOUNTS.${userName}`;
  if (givenTwice) return [{ variable: where, rule: 'unique-user-name', message: `${where} is given twice; remove one (JSON keeps only the last, silently)` }];
  if (!userNameSchema.safeParse(userName).success) return [{ variable: where, rule: RULES.userName.id, message: `${where}: the user name ${RULES.userName.message}` }];
  if (!isRecord(entry)) return [{ variable: where, rule: 'account', message: `${where} must be an object with apiKey` }];
  const unknown = Object.keys(entry)
    .filter((field) => !Object.hasOwn(ACCOUNT_RULES, field))
    .map((field) => ({ variable: `${where}.${field}`, rule: 'unknown-field', message: `${where}.${field} is not a field of an account (apiKey, auth)` }));
  return [...checkConfig(entry, ACCOUNT_RULES, `${where}.`), ...unknown];
}

/**
 * A bad entry disables that account only (its name is kept, to answer its teams 503). A user name
 * given twice is caught in the raw text: JSON.parse would silently keep the last one, and the wrong
 * key would be used.
 */
function parseAccounts(raw: unknown, problems: ConfigIssue[]): ParsedAccounts {
  const out: ParsedAccounts = { accounts: new Map(), disabled: new Map() };
  const twice = new Set(typeof raw === 'string' ? duplicateTopLevelKeys(raw) : []);
  for (const [userName, entry] of Object.entries(jsonValue(raw) as Record<string, unknown>)) {
    const issues = accountIssues(userName, entry, twice.has(userName));
    if (issues.length > 0) {
      problems.push(...issues);
      if (!out.disabled.has(userName)) out.disabled.set(userName, issues.map((i) => i.message).join('; '));
      continue;
    }
    const { apiKey, auth } = entry as { apiKey: string; auth?: string };
    const name = userName.trim();
    out.accounts.set(name, { userName: name, apiKey, auth: auth?.trim().toLowerCase().startsWith('token') ? 'token' : 'basic' });
  }
  return out;
}

/**
 * A bad entry disables that team only. A team whose token hash is unreadable cannot be recognised
 * (its callers get 401); any other fault leaves the token recognised and answers that team 503.
 * Two teams sharing a name or a token are both disabled: which one a call belongs to is unknown.
 * A grant of an account that is missing or disabled is answered 503 for that account only.
 */
function parseTeams(raw: unknown, accounts: ParsedAccounts, defaultLimit: number, problems: ConfigIssue[]): TeamConfig[] {
  const teams: TeamConfig[] = [];
  const byName = new Map<string, TeamConfig[]>();
  const byHash = new Map<string, TeamConfig[]>();
  (jsonValue(raw) as unknown[]).forEach((entry, index) => {
    const where = `TEAMS[${index}]`;
    if (!isRecord(entry)) {
      problems.push({ variable: where, rule: 'team', message: `${where} must be an object; the entry is ignored` });
      return;
    }
    const faults = checkConfig(entry, TEAM_RULES, `${where}.`);
    const wrong = (field: string) => faults.some((f) => f.variable === `${where}.${field}`);
    for (const fault of faults) problems.push({ ...fault, message: `${fault.message}; the team is disabled` });
    if (wrong('tokenSha256')) return;
    const grants = wrong('userNames') ? [] : [...new Set(entry.userNames as string[])];
    for (const userName of grants) {
      if (!accounts.accounts.has(userName) && !accounts.disabled.has(userName)) {
        problems.push({ variable: `${where}.userNames`, rule: 'unknown-account', message: `${where}.userNames: "${userName}" is not in CLOUDAGENT_ACCOUNTS; calls for it are answered 503` });
      }
    }
    const team: TeamConfig = {
      name: wrong('name') ? where : (entry.name as string),
      tokenSha256: [...new Set([entry.tokenSha256 as string[] | string].flat().map((h) => h.toLowerCase()))],
      userNames: grants,
      rateLimitPerMinute: wrong('rateLimitPerMinute') ? defaultLimit : wholeNumber(entry.rateLimitPerMinute, defaultLimit),
      ...(entry.requireIdempotencyKey === true ? { requireIdempotencyKey: true } : {}),
      ...(faults.length > 0 ? { disabled: faults.map((f) => f.message).join('; ') } : {}),
    };
    teams.push(team);
    if (!wrong('name')) byName.set(team.name, [...(byName.get(team.name) ?? []), team]);
    for (const h of team.tokenSha256) byHash.set(h, [...(byHash.get(h) ?? []), team]);
  });
  for (const [teamName, same] of byName) {
    if (same.length < 2) continue;
    problems.push({ variable: 'TEAMS', rule: 'unique-name', message: `TEAMS: the name "${teamName}" is used by ${same.length} teams; each is disabled until the names are unique` });
    for (const t of same) t.disabled ??= `the team name "${teamName}" is used twice in TEAMS`;
  }
  for (const same of byHash.values()) {
    if (same.length < 2) continue;
    problems.push({ variable: 'TEAMS', rule: 'unique-token', message: `TEAMS: ${same.map((t) => t.name).join(' and ')} share a token hash; give each team its own token (both are disabled)` });
    for (const t of same) t.disabled ??= 'the team shares its token with another team in TEAMS';
  }
  return teams;
}

/**
 * Parses the environment. What cannot be used at all (a variable missing, not JSON or of the wrong
 * shape, a bad base URL or number) stops everything: `ok: false` with every such issue at once. A
 * bad account or team is contained: it is listed in `problems` and disabled, and everything else works.
 */
export function parseConfig(env: EdgeEnv): ConfigResult {
  const issues = checkConfig(env as Readonly<Record<string, unknown>>, RULES_BY_VARIABLE);
  if (issues.length > 0) return { ok: false, issues };
  const problems: ConfigIssue[] = [];
  const accounts = parseAccounts(env.CLOUDAGENT_ACCOUNTS, problems);
  const defaultLimit = wholeNumber(env.RATE_LIMIT_PER_MINUTE, DEFAULT_RATE_LIMIT_PER_MINUTE);
  const teams = parseTeams(env.TEAMS, accounts, defaultLimit, problems);
  // Checked above: absent or blank is CloudAgent's default host.
  const base = checkBaseUrl(String(env.CLOUDAGENT_BASE_URL ?? '').trim() || DEFAULT_BASE_URL);
  const corsOrigins = typeof env.CORS_ORIGINS === 'string' ? env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : [];
  return {
    ok: true,
    config: {
      baseUrl: base.ok ? base.url : DEFAULT_BASE_URL,
      accounts: accounts.accounts,
      disabledAccounts: accounts.disabled,
      teams,
      problems,
      timeoutMs: wholeNumber(env.UPSTREAM_TIMEOUT_MS, DEFAULT_TIMEOUT_MS),
      corsOrigins,
    },
  };
}
