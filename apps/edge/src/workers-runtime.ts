import { DurableObject } from 'cloudflare:workers';
import { createTokenManager, TokenError, type StoredToken, type TokenProvider, type TokenStore } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import type { Outcome } from '@cloudagent-phone/core';
import type { AccountConfig, EdgeConfig, EdgeEnv } from './config.js';
import { configFor } from './config-cache.js';
import type { RateLimiter } from './rate-limit/limiter.js';
import { assetFiles } from './static-files.js';
import { takeFromWindow, type RateDecision, type WindowState } from './rate-limit/window.js';

/**
 * Everything Workers-specific: the two Durable Objects and the edge-side handles to them.
 * (The Node counterpart is node-runtime.ts.)
 */
export interface WorkerEnv extends EdgeEnv {
  TEAM_RATE_LIMITER: DurableObjectNamespace<TeamRateLimiter>;
  ACCOUNT_TOKENS: DurableObjectNamespace<AccountTokens>;
  /** public/ (wrangler.jsonc `assets`): the OpenAPI document and the reference page. */
  ASSETS: Fetcher;
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

export type TokenAnswer = { ok: true; token: string } | { ok: false; outcome: Outcome };

/**
 * One per token-auth account: holds the account's CloudAgent token and generates a new one
 * single-flight, so isolates never void each other's token or spend the 10-an-hour quota. The
 * API key stays inside; only the token leaves, to the edge's own isolates.
 */
export class AccountTokens extends DurableObject<WorkerEnv> {
  #provider: TokenProvider | undefined;
  #userName: string | undefined;

  async getToken(userName: string, rejected?: string): Promise<TokenAnswer> {
    const config = configFor(this.env);
    const account = config.ok ? config.config.accounts.get(userName) : undefined;
    if (!config.ok || !account || account.auth !== 'token') {
      return { ok: false, outcome: { kind: 'auth_error', message: `no token-auth account "${userName}" is configured`, retryable: false, ambiguous: false } };
    }
    if (!this.#provider || this.#userName !== userName) {
      this.#userName = userName;
      this.#provider = createTokenManager({
        userName,
        apiKey: account.apiKey,
        baseUrl: config.config.baseUrl,
        transport: createSocketTransport(),
        store: durableTokenStore(this.ctx.storage),
        timeoutMs: config.config.timeoutMs,
      });
    }
    try {
      return { ok: true, token: await this.#provider.getToken(rejected !== undefined ? { rejected } : {}) };
    } catch (error) {
      // Errors lose their own fields crossing RPC; the outcome travels as data instead.
      if (error instanceof TokenError) return { ok: false, outcome: error.outcome };
      throw error;
    }
  }
}

function durableTokenStore(storage: DurableObjectStorage): TokenStore {
  return {
    get: () => storage.get<StoredToken>('token'),
    set: (token) => storage.put('token', token),
  };
}

export function durableRateLimiter(env: WorkerEnv): RateLimiter {
  return {
    take: (team, limit) => env.TEAM_RATE_LIMITER.get(env.TEAM_RATE_LIMITER.idFromName(team)).take(limit),
  };
}

export function durableTokenProvider(env: WorkerEnv): (account: AccountConfig) => TokenProvider {
  return (account) => {
    const stub = () => env.ACCOUNT_TOKENS.get(env.ACCOUNT_TOKENS.idFromName(account.userName));
    return {
      async getToken(options = {}) {
        const answer = await stub().getToken(account.userName, options.rejected);
        if (!answer.ok) throw new TokenError(answer.outcome);
        return answer.token;
      },
    };
  };
}

export function workerAppOptions(env: WorkerEnv, config: EdgeConfig) {
  return {
    config,
    transport: createSocketTransport(),
    rateLimiter: durableRateLimiter(env),
    tokenProvider: durableTokenProvider(env),
    staticFiles: assetFiles(env.ASSETS),
  };
}
