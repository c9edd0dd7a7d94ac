import { durableAccountTokens, type AccountTokens } from '@cloudagent-phone/server/workers';
import type { AccountTokenSource } from '@cloudagent-phone/server';
import { ShimConfigError, type ShimConfig } from './config.js';

/** The Durable Object binding token accounts need on Workers (wrangler.jsonc). */
export interface TokenBindings {
  ACCOUNT_TOKENS?: DurableObjectNamespace<AccountTokens>;
}

/**
 * Workers: token accounts ask the account's one AccountTokens object (the class the edge uses too),
 * so every isolate shares one token and one generation at a time. No token accounts, no binding needed.
 */
export function workerTokens(env: TokenBindings, config: ShimConfig): { tokens?: AccountTokenSource } {
  if (config.tokenAccounts.size === 0) return {};
  const namespace = env.ACCOUNT_TOKENS;
  if (!namespace) {
    throw new ShimConfigError([
      {
        variable: 'SHIM_TOKEN_ACCOUNTS',
        rule: 'needs-binding',
        message: 'SHIM_TOKEN_ACCOUNTS needs the ACCOUNT_TOKENS Durable Object binding on Workers (see wrangler.jsonc and the README, "Token accounts")',
      },
    ]);
  }
  return { tokens: durableAccountTokens(namespace, { baseUrl: config.v2BaseUrl, timeoutMs: config.timeoutMs }) };
}
