import { DurableObject } from 'cloudflare:workers';
import { AccountTokens, durableAccountTokens } from '@cloudagent-phone/server/workers';
import type { TokenProvider } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import type { AccountConfig, EdgeConfig, EdgeEnv } from './config.js';
import type { RateLimiter } from './rate-limit/limiter.js';
import { takeFromWindow, type RateDecision, type WindowState } from './rate-limit/window.js';

export { AccountTokens };

/**
 * Everything Workers-specific: the two Durable Objects (AccountTokens lives in
 * @cloudagent-phone/server) and the edge-side handles to them.
 * (The Node counterpart is node-runtime.ts.)
 */
export interface WorkerEnv extends EdgeEnv {
  TEAM_RATE_LIMITER: DurableObjectNamespace<TeamRateLimiter>;
  ACCOUNT_TOKENS: DurableObjectNamespace<AccountTokens>;
}

// CloudAgent over HTTP/1.1 on cloudflare:sockets: the runtime's fetch cannot send v2 `get` (a GET
// with a JSON body), this can, so lookups and the read-back of ambiguous mutations work as on Node.
// Token generation goes the same way (AccountTokens defaults to it), so one transport and one set
// of delivery rules serve both.

/** One per team: a Durable Object is single-threaded, so its count is exact across every isolate. */
export class TeamRateLimiter extends DurableObject<WorkerEnv> {
  #window: WindowState | undefined;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.#window = await ctx.storage.get<WindowState>('window');
    });
  }

  async take(limit: number): Promise<RateDecision> {
    const { state, decision } = takeFromWindow(this.#window, Date.now(), limit);
    this.#window = state;
    // Not awaited: the output gate holds the answer until the write is durable.
    void this.ctx.storage.put('window', state);
    return decision;
  }
}

export function durableRateLimiter(env: WorkerEnv): RateLimiter {
  return {
    take: (team, limit) => env.TEAM_RATE_LIMITER.get(env.TEAM_RATE_LIMITER.idFromName(team)).take(limit),
  };
}

/**
 * Token-auth accounts: every isolate asks the account's one AccountTokens object (in
 * @cloudagent-phone/server, shared with the shim), which generates single-flight and counts the
 * hourly cap once. The edge presents the account's configured key.
 */
export function durableTokenProvider(env: WorkerEnv, config: EdgeConfig): (account: AccountConfig) => TokenProvider {
  const tokens = durableAccountTokens(env.ACCOUNT_TOKENS, { baseUrl: config.baseUrl, timeoutMs: config.timeoutMs });
  return (account) => tokens(account.userName, account.apiKey);
}

export function workerAppOptions(env: WorkerEnv, config: EdgeConfig) {
  return {
    config,
    transport: createSocketTransport(),
    rateLimiter: durableRateLimiter(env),
    tokenProvider: durableTokenProvider(env, config),
  };
}
