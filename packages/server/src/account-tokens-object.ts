import { DurableObject } from 'cloudflare:workers';
import type { LogFields, Logger, Transport } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import { createAccountTokenHolder, type AccountTokenHolder } from './account-token-holder.js';
import { tokenProviderOver, type AccountTokenSource, type TokenAnswer, type TokenRequest } from './token-answer.js';

// Generations and their failures, as JSON lines for Workers Logs. The token manager redacts the
// key and the token from every line before it gets here.
const line = (level: string, msg: string, fields?: LogFields) => JSON.stringify({ level, msg, source: 'account-tokens', ...fields });
const consoleLogger: Logger = {
  info: (msg, fields) => console.log(line('info', msg, fields)),
  warn: (msg, fields) => console.warn(line('warn', msg, fields)),
  error: (msg, fields) => console.error(line('error', msg, fields)),
};

/**
 * One per token-auth account (addressed by `idFromName(userName)`): the account's tokens live in
 * its storage, one per key hash, and every isolate of every Worker bound to it asks this one
 * object, so a generation is single-flight across all of them and the 10-an-hour cap is counted
 * once. The key arrives with each request and is held only in memory, to regenerate.
 *
 * Export it from the Worker under the name the wrangler binding gives (`AccountTokens`). Subclass
 * and override `transport()` to reach CloudAgent some other way (a simulator in the same isolate).
 */
export class AccountTokens<Env = unknown> extends DurableObject<Env> {
  readonly #holder: AccountTokenHolder;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#holder = createAccountTokenHolder({ transport: this.transport(), storage: ctx.storage, logger: consoleLogger });
  }

  /** How generateToken reaches CloudAgent: the socket transport, as the apps' own calls do on Workers. */
  protected transport(): Transport {
    return createSocketTransport();
  }

  getToken(request: TokenRequest): Promise<TokenAnswer> {
    return this.#holder.getToken(request);
  }
}

/**
 * The caller's side: a token provider per (account, key) that asks the account's AccountTokens
 * object. `namespace` is the binding (in the same Worker, or another one's via `script_name`).
 */
export function durableAccountTokens(namespace: DurableObjectNamespace<AccountTokens>, target: { baseUrl: string; timeoutMs?: number }): AccountTokenSource {
  return (userName, apiKey) =>
    tokenProviderOver((request) => namespace.get(namespace.idFromName(userName)).getToken(request) as Promise<TokenAnswer>, { userName, apiKey, ...target });
}
