import { DurableObject } from 'cloudflare:workers';
import { createTokenHolder, remoteTokenAccounts, type TokenAnswer, type TokenHolder, type TokenProvider, type TokenRequest } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import type { AccountConfig, EdgeConfig, EdgeEnv } from './config.js';
import type { RateLimiter } from './rate-limit/limiter.js';
import { takeFromWindow, type RateDecision, type WindowState } from './rate-limit/window.js';

/**
 * Everything Workers-specific: the two Durable Objects and the edge-side handles to them.
 * (The Node counterpart is node-runtime.ts.)
 */
export interface WorkerEnv extends EdgeEnv {
  TEAM_RATE_LIMITER: DurableObjectNamespace<TeamRateLimiter>;
  ACCOUNT_TOKENS: DurableObjectNamespace<AccountTokens>;
}

// CloudAgent over HTTP/1.1 on cloudflare:sockets: the runtime's fetch cannot send v2 `get` (a GET
// with a JSON body), this can, so lookups and the read-back of ambiguous mutations work as on Node.
// Token generation goes the same way, so one transport (and one set of delivery rules) serves both.
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

/**
 * One per token-auth account (`idFromName(userName)`): holds the account's CloudAgent token in its
 * storage and generates a new one single-flight, so isolates never void each other's token or spend
 * the 10-an-hour quota. The holder is @cloudagent-phone/transport's `createTokenHolder`, the same one
 * the shim's AccountTokens runs (a shim deployed for the same accounts can bind this class with
 * `script_name`, see the shim's README); this class is only its Workers shell.
 */
export class AccountTokens extends DurableObject<WorkerEnv> {
  readonly #holder = createTokenHolder({ storage: this.ctx.storage, transport: createSocketTransport() });

  getToken(request: TokenRequest): Promise<TokenAnswer> {
    return this.#holder.getToken(request);
  }
}

export function durableRateLimiter(env: WorkerEnv): RateLimiter {
  return {
    take: (team, limit) => env.TEAM_RATE_LIMITER.get(env.TEAM_RATE_LIMITER.idFromName(team)).take(limit),
  };
}

export function durableTokenProvider(env: WorkerEnv, config: EdgeConfig): (account: AccountConfig) => TokenProvider {
  const accounts = remoteTokenAccounts((userName) => env.ACCOUNT_TOKENS.get(env.ACCOUNT_TOKENS.idFromName(userName)) as unknown as TokenHolder, {
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
  });
  return (account) => accounts.providerFor(account.userName, account.apiKey);
}

export function workerAppOptions(env: WorkerEnv, config: EdgeConfig) {
  return {
    config,
    transport: createSocketTransport(),
    rateLimiter: durableRateLimiter(env),
    tokenProvider: durableTokenProvider(env, config),
  };
}
