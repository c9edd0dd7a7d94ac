// One configuration for every test, in workerd and on Node: accounts with canary keys (which must
// never appear in any answer or log line), and teams whose tokens are stored only as hashes.

export const BASIC_KEY = 'CANARY-KEY-basic-9f3c1e7a2b';
export const TOKEN_KEY = 'CANARY-KEY-token-4d8e2a6c1f';
export const OTHER_KEY = 'CANARY-KEY-other-7b1d5f3e9a';
export const CANARIES = [BASIC_KEY, TOKEN_KEY, OTHER_KEY, 'CANARY-KEY'];

export const TEAM_TOKENS = {
  alpha: 'alpha-team-token-7Qm2xV9pL4',
  beta: 'beta-team-token-3Kd8sW1nR6',
  gamma: 'gamma-team-token-5Hf4tY7bJ2',
  delta: 'delta-team-token-8Zp3qN6wE1',
} as const;

/** sha256 of each token above (team-auth.test.ts checks they match). */
export const TEAM_TOKEN_HASHES = {
  alpha: '0199ebe5a74efe64f12ab09c528d10204d6370af8bf285caae7297d4eaa93cf5',
  beta: '6c5f4d165cf2501abcf0702de1cee881bc1e72d946c14111e70ff6c0244cd6b7',
  gamma: 'aedab84a8d8730a75c9f5bda38cf0c08fd3a6d2e16a7707ea6f08bd5be75043f',
  delta: '08f92da9fd2853bd29f4d573c678ed334e19a635c6242895d9c66541c7dbc284',
} as const;

export const GAMMA_LIMIT = 3;
/** delta must send Idempotency-Key on every mutation; its small limit shows replays are not counted. */
export const DELTA_LIMIT = 4;
/** Short enough for a test to wait out, long enough that nothing healthy in-process comes near it. */
export const TIMEOUT_MS = 1_500;

export function edgeEnv(baseUrl: string): Record<string, string> {
  return {
    CLOUDAGENT_BASE_URL: baseUrl,
    CLOUDAGENT_ACCOUNTS: JSON.stringify({
      demo: { apiKey: BASIC_KEY },
      tokenco: { apiKey: TOKEN_KEY, auth: 'token' },
      other: { apiKey: OTHER_KEY },
    }),
    TEAMS: JSON.stringify([
      { name: 'alpha', tokenSha256: TEAM_TOKEN_HASHES.alpha, userNames: ['demo', 'tokenco'], rateLimitPerMinute: 10_000 },
      { name: 'beta', tokenSha256: TEAM_TOKEN_HASHES.beta, userNames: ['other'], rateLimitPerMinute: 10_000 },
      { name: 'gamma', tokenSha256: TEAM_TOKEN_HASHES.gamma, userNames: ['demo'], rateLimitPerMinute: GAMMA_LIMIT },
      { name: 'delta', tokenSha256: TEAM_TOKEN_HASHES.delta, userNames: ['demo'], rateLimitPerMinute: DELTA_LIMIT, requireIdempotencyKey: true },
    ]),
    UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
  };
}
