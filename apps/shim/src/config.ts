import { DEFAULT_BASE_URL, baseUrlRule, checkBaseUrl, checkConfig, oneOfRule, textRule, userNameSchema, wholeNumberRule, type ConfigIssue, type ConfigRule } from '@cloudagent-phone/core';
import { SHIM_MODES, needsLegacyHost, type ShimMode } from './modes.js';

/** Everything the shim can be told, resolved. See README "Configuration" for the environment names. */
export interface ShimConfig {
  /** The v2 host. `CLOUDAGENT_BASE_URL`, default the domestic host. */
  v2BaseUrl: string;
  /** The legacy v1 host for `v1` and `shadow` accounts and the kill switch. `SHIM_V1_BASE_URL`. */
  v1BaseUrl?: string;
  /** The mode for accounts inside the rollout. `SHIM_MODE`, default `v2`. */
  mode: ShimMode;
  /** Share of accounts (0-100) inside the rollout; the rest pass through to v1. `SHIM_ROLLOUT_PERCENT`, default 100. */
  rolloutPercent: number;
  /** Mixed into the bucket hash so a new rollout can pick different accounts first. `SHIM_ROLLOUT_SALT`, default ''. */
  rolloutSalt: string;
  /** Per-account modes, winning over the rollout. `SHIM_ACCOUNT_MODES="acme=v1,globex=verify"`. A Map: user names are caller input. */
  accountModes: ReadonlyMap<string, ShimMode>;
  /**
   * Accounts whose own configuration is wrong (an unknown mode, named twice, a legacy mode with no
   * legacy host): their calls get a clear 503 and nothing is sent; every other account keeps working.
   */
  disabledAccounts: ReadonlyMap<string, string>;
  /** Every configuration problem that did not stop the shim, for the operator (`/_shim/health` counts them). */
  problems: readonly string[];
  /** Stop sending anything to v2: every account passes through to v1 (or 503 with no legacy host). `SHIM_KILL_SWITCH=1`. */
  killSwitch: boolean;
  /** Bearer token for `/_shim/*`. `SHIM_ADMIN_TOKEN`; unset, the admin routes answer 404. */
  adminToken?: string;
  /** Where the Link header points. `SHIM_MIGRATION_GUIDE_URL`. */
  migrationGuideUrl: string;
  /** The Sunset date (RFC 8594), ms since epoch. `SHIM_SUNSET` (any date Date.parse reads), default the deprecation date. */
  sunsetAt: number;
  /** Per v2 attempt, ms. `SHIM_TIMEOUT_MS`, default 20 000. */
  timeoutMs: number;
  /** Translations kept for `/_shim/translations` (verify mode). `SHIM_TRANSLATION_LOG_SIZE`, default 200. */
  translationLogSize: number;
  /** ...and at most this many bytes of them (JSON). `SHIM_TRANSLATION_LOG_BYTES`, default 1 MB. */
  translationLogBytes: number;
  /** How long a request body may take to arrive before the call is cut with 408. `SHIM_BODY_TIMEOUT_MS`, default 10 000. */
  bodyTimeoutMs: number;
  /**
   * Accounts whose API Authentication is TOKEN_AUTH: the caller's apiKey is exchanged for a v2 token
   * (generateToken) and the token reused for that account and key. `SHIM_TOKEN_ACCOUNTS="acme,globex"`.
   */
  tokenAccounts: ReadonlySet<string>;
  /** Days without a v1 call or a mismatch (and with calls) before an account is "ready to cut over". `SHIM_READY_AFTER_DAYS`, default 7. */
  readyAfterDays: number;
  /** How long counts gather before they go to the durable store as one batch, ms. `SHIM_USAGE_FLUSH_MS`, default 2000. */
  usageFlushMs: number;
}

/**
 * A v1 call is a handful of short parameters: the longest legitimate one (a user name, a key, a
 * number, two names, a few skills) is well under 1 KB. 8 KB of query is what common proxies allow
 * for a whole request line; 64 KB of body leaves room for long skill lists and multipart framing.
 * Anything bigger is not a v1 call, and is refused before it is read.
 */
export const MAX_QUERY_BYTES = 8 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;

/** The vendor's announced deprecation date for v1: 30 April 2025, 00:00 UTC. */
export const V1_DEPRECATED_AT = Date.UTC(2025, 3, 30);

export const DEFAULT_MIGRATION_GUIDE_URL = 'https://github.com/cloudagent-phone/cloudagent-phone/blob/main/apps/shim/README.md#migration-guide';

/**
 * Everything wrong with the shim's environment at once, each issue naming the variable and the rule
 * (never the value: a base URL may hold credentials, the admin token is a secret).
 */
export class ShimConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => issue.message).join('; '));
    this.name = 'ShimConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** `acme=v1,...`: an entry that names no account at all cannot be read (one naming a bad one is contained). */
function everyEntryNamesAnAccount(value: string): boolean {
  return value.split(',').every((entry) => {
    const trimmed = entry.trim();
    const eq = trimmed.lastIndexOf('=');
    return trimmed === '' || (eq === -1 ? trimmed : trimmed.slice(0, eq)).trim() !== '';
  });
}

/** The rules of every variable the shim reads; see README "Configuration". */
function rulesFor(options: ConfigOptions): Record<string, ConfigRule> {
  const url = baseUrlRule(options.allowHttpOrigins ? { allowHttpOrigins: options.allowHttpOrigins } : {});
  return {
    CLOUDAGENT_BASE_URL: url,
    SHIM_V1_BASE_URL: url,
    SHIM_MODE: { ...oneOfRule(['v2', 'verify']), message: 'must be v2 or verify: it is the mode of accounts inside the rollout (v1 and shadow are per account, in SHIM_ACCOUNT_MODES)' },
    SHIM_ROLLOUT_PERCENT: wholeNumberRule(0, 100),
    SHIM_ACCOUNT_MODES: textRule('account-modes', 'entries must be userName=mode, comma-separated (an entry has no user name)', everyEntryNamesAnAccount),
    SHIM_SUNSET: textRule('date', 'must be a date such as 2026-12-31 or an HTTP-date', (v) => !Number.isNaN(Date.parse(v.trim()))),
    SHIM_ADMIN_TOKEN: textRule('min-length', 'must be at least 16 characters (it guards per-account metrics)', (v) => v.trim().length >= 16),
    SHIM_TIMEOUT_MS: wholeNumberRule(100, 120_000),
    SHIM_TRANSLATION_LOG_SIZE: wholeNumberRule(0, 10_000),
    SHIM_TRANSLATION_LOG_BYTES: wholeNumberRule(0, 100_000_000),
    SHIM_BODY_TIMEOUT_MS: wholeNumberRule(50, 120_000),
    SHIM_TOKEN_ACCOUNTS: textRule('user-names', 'must be CloudAgent user names, comma-separated', (v) => v.split(',').every((name) => !/[\s=]/.test(name.trim()))),
    // Up to the 35 days the hourly counts are kept: a longer window could never be satisfied.
    SHIM_READY_AFTER_DAYS: wholeNumberRule(1, 35),
    // Below Workers' 30 s waitUntil limit, so a scheduled batch is always sent before the isolate may go.
    SHIM_USAGE_FLUSH_MS: wholeNumberRule(0, 20_000),
  };
}

/** A checked whole number, or the default when the variable is absent or empty. */
function integer(value: string | undefined, fallback: number): number {
  return value === undefined || value.trim() === '' ? fallback : Number(value);
}

/** A checked base URL in its canonical form (checkConfig already refused a bad one). */
function checkedUrl(value: string, options: ConfigOptions): string {
  const checked = checkBaseUrl(value.trim(), options.allowHttpOrigins ? { allowHttpOrigins: options.allowHttpOrigins } : {});
  return checked.ok ? checked.url : DEFAULT_BASE_URL;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

interface AccountModes {
  modes: Map<string, ShimMode>;
  disabled: Map<string, string>;
  problems: string[];
}

/**
 * `acme=v1,globex=verify`. A bad entry only disables the account it names (an unknown mode, a name
 * given twice, a legacy mode without a legacy host); an entry that names no account at all cannot be
 * read and stops the shim.
 */
function accountModes(value: string | undefined, hasLegacyHost: boolean): AccountModes {
  const out: AccountModes = { modes: new Map(), disabled: new Map(), problems: [] };
  if (!value) return out;
  const seen = new Set<string>();
  const disable = (name: string, why: string) => {
    out.modes.delete(name);
    if (!out.disabled.has(name)) out.disabled.set(name, why);
    out.problems.push(`SHIM_ACCOUNT_MODES: ${name} ${why}; its calls are answered 503 until it is fixed`);
  };
  for (const entry of value.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const eq = trimmed.lastIndexOf('=');
    const name = (eq === -1 ? trimmed : trimmed.slice(0, eq)).trim();
    // An entry without a name is refused by the SHIM_ACCOUNT_MODES rule before this runs.
    if (name === '') continue;
    if (!userNameSchema.safeParse(name).success) {
      out.problems.push('SHIM_ACCOUNT_MODES: an entry names no valid user name (1 to 64 characters, no spaces); it is ignored');
      continue;
    }
    if (seen.has(name)) {
      disable(name, 'is given twice');
      continue;
    }
    seen.add(name);
    const mode = eq === -1 ? undefined : (trimmed.slice(eq + 1).trim().toLowerCase() as ShimMode);
    if (mode === undefined || !SHIM_MODES.includes(mode)) disable(name, `has no mode it can use (one of ${SHIM_MODES.join(', ')})`);
    else if (needsLegacyHost(mode) && !hasLegacyHost) disable(name, `has mode ${mode}, which needs SHIM_V1_BASE_URL`);
    else if (!out.disabled.has(name)) out.modes.set(name, mode);
  }
  return out;
}

export interface ConfigOptions {
  /** http origins allowed besides loopback: the `pnpm dev` build names its in-process simulator. */
  allowHttpOrigins?: readonly string[];
}

function tokenAccounts(value: string | undefined): Set<string> {
  const names = new Set<string>();
  for (const entry of (value ?? '').split(',')) if (entry.trim() !== '') names.add(entry.trim());
  return names;
}

/**
 * Reads the configuration from environment variables (process.env on Node, bindings on Workers).
 * Every variable is checked; anything the shim cannot use throws one ShimConfigError naming each
 * bad variable and its rule, so a misconfigured shim refuses to start instead of routing calls
 * wrongly, and its operator fixes everything in one go.
 */
export function configFromEnv(env: Env, options: ConfigOptions = {}): ShimConfig {
  const issues = checkConfig(env, rulesFor(options));
  const v1Text = env.SHIM_V1_BASE_URL?.trim();
  const rolloutPercent = integer(env.SHIM_ROLLOUT_PERCENT, 100);
  if (!v1Text && rolloutPercent < 100 && !issues.some((issue) => issue.variable === 'SHIM_ROLLOUT_PERCENT')) {
    issues.push({
      variable: 'SHIM_ROLLOUT_PERCENT',
      rule: 'needs-legacy-host',
      message: 'SHIM_ROLLOUT_PERCENT below 100 needs SHIM_V1_BASE_URL: accounts outside the rollout pass through to the legacy host',
    });
  }
  if (issues.length > 0) throw new ShimConfigError(issues);

  const v1BaseUrl = v1Text ? checkedUrl(v1Text, options) : undefined;
  const mode = (env.SHIM_MODE?.trim().toLowerCase() || 'v2') as ShimMode;
  const modes = accountModes(env.SHIM_ACCOUNT_MODES, v1BaseUrl !== undefined);
  const sunsetText = env.SHIM_SUNSET?.trim();
  const adminToken = env.SHIM_ADMIN_TOKEN?.trim();
  return {
    v2BaseUrl: env.CLOUDAGENT_BASE_URL?.trim() ? checkedUrl(env.CLOUDAGENT_BASE_URL, options) : DEFAULT_BASE_URL,
    ...(v1BaseUrl ? { v1BaseUrl } : {}),
    mode,
    rolloutPercent,
    rolloutSalt: env.SHIM_ROLLOUT_SALT ?? '',
    accountModes: modes.modes,
    disabledAccounts: modes.disabled,
    problems: modes.problems,
    killSwitch: flag(env.SHIM_KILL_SWITCH),
    ...(adminToken ? { adminToken } : {}),
    migrationGuideUrl: env.SHIM_MIGRATION_GUIDE_URL?.trim() || DEFAULT_MIGRATION_GUIDE_URL,
    sunsetAt: sunsetText ? Date.parse(sunsetText) : V1_DEPRECATED_AT,
    timeoutMs: integer(env.SHIM_TIMEOUT_MS, 20_000),
    translationLogSize: integer(env.SHIM_TRANSLATION_LOG_SIZE, 200),
    translationLogBytes: integer(env.SHIM_TRANSLATION_LOG_BYTES, 1_000_000),
    bodyTimeoutMs: integer(env.SHIM_BODY_TIMEOUT_MS, 10_000),
    tokenAccounts: tokenAccounts(env.SHIM_TOKEN_ACCOUNTS),
    readyAfterDays: integer(env.SHIM_READY_AFTER_DAYS, 7),
    usageFlushMs: integer(env.SHIM_USAGE_FLUSH_MS, 2_000),
  };
}
