import { bearerToken, constantTimeEqual, keyHash } from '@cloudagent-phone/server';
import type { Context } from 'hono';
import type { EdgeVariables } from './app.js';
import type { TeamConfig } from './config.js';
import { problem, ProblemError } from './problem.js';
import type { RateLimiter } from './rate-limit/limiter.js';

type TeamContext = Context<{ Variables: EdgeVariables }>;

/**
 * Gives the lower-case hex SHA-256 of a team token: the form tokens are stored in (`pnpm hash-token`).
 * Default: Web Crypto (`keyHash`), which Workers have; in Node it is slower than node:crypto, which
 * node-runtime.ts passes.
 */
export type TokenHasher = (token: string) => Promise<string> | string;

/**
 * The team whose token this is. Every team's hash is compared, whichever matches, so the time taken
 * does not tell an attacker how many teams there are before the right one.
 */
export async function findTeam(teams: readonly TeamConfig[], token: string, hash: TokenHasher = keyHash): Promise<TeamConfig | undefined> {
  const presented = await hash(token);
  let found: TeamConfig | undefined;
  for (const team of teams) {
    for (const hash of team.tokenSha256) {
      if (constantTimeEqual(hash, presented) && !found) found = team;
    }
  }
  return found;
}

/**
 * Middleware: the caller's team from its bearer token (401 without a known one, 503-style
 * `misconfigured` for a team whose entry is invalid), set as `team`. Shared by the edge and the
 * bulk-jobs Worker, so both know a team the same way.
 */
export function authenticateTeam(teams: readonly TeamConfig[], hashToken?: TokenHasher) {
  return async (c: TeamContext, next: () => Promise<void>): Promise<void> => {
    const token = bearerToken(c.req.header('authorization'));
    const team = token ? await findTeam(teams, token, hashToken) : undefined;
    if (!team) {
      throw new ProblemError(
        problem('unauthorized', token ? 'the team token is not recognised' : 'send your team token as Authorization: Bearer <token>'),
        { 'www-authenticate': 'Bearer realm="cloudagent-phone"' },
      );
    }
    if (team.disabled) {
      throw new ProblemError(problem('misconfigured', `this team's entry in TEAMS is invalid (${team.disabled}); nothing was sent. Ask the edge's operator to fix it`));
    }
    c.set('team', team);
    await next();
  };
}

/** Middleware after authenticateTeam: the team's rate (429 with Retry-After over it). */
export function limitTeamRate(rateLimiter: RateLimiter) {
  return async (c: TeamContext, next: () => Promise<void>): Promise<void> => {
    // A replay settling an ambiguous answer only reads back: like every replay, it is not counted.
    if (c.get('idempotency')?.settling) return next();
    const team = c.get('team')!;
    const decision = await rateLimiter.take(team.name, team.rateLimitPerMinute);
    c.header('ratelimit-limit', String(decision.limit));
    c.header('ratelimit-remaining', String(decision.remaining));
    if (!decision.allowed) {
      throw new ProblemError(
        problem('rateLimited', `team "${team.name}" is over its limit of ${decision.limit} requests a minute; retry after ${decision.retryAfterSeconds} s`),
        { 'retry-after': String(decision.retryAfterSeconds) },
      );
    }
    await next();
  };
}
