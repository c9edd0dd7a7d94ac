import { remoteTokenAccounts, type TokenHolder } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import type { AccountTokens } from './account-tokens.js';
import { createShim, type ExecutionContextLike, type Shim, type ShimOptions } from './app.js';
import { configFromEnv, ShimConfigError } from './config.js';
import { SHIM_MESSAGES, v1Body } from './v1-answer.js';

/**
 * Workers entry: configuration from the Worker's vars and secrets; v2 over the socket transport
 * (HTTP/1.1 on `cloudflare:sockets`), which can send v2's GET-with-body `get`: ambiguous mutations
 * are read back and shadow reads run, as on Node.
 */
export type ShimBindings = Record<string, string | undefined>;

/** The Worker's bindings: its vars and secrets, and the token holder for SHIM_TOKEN_ACCOUNTS. */
export type ShimWorkerEnv = { ACCOUNT_TOKENS?: DurableObjectNamespace<AccountTokens> } & { [name: string]: unknown };

export { AccountTokens } from './account-tokens.js';

/** The shim the Worker runs for these bindings: v2 (and the legacy host) over the socket transport. */
export function createWorkerShim(env: ShimWorkerEnv, options: Pick<ShimOptions, 'log'> = {}): Shim {
  const { ACCOUNT_TOKENS: holders, ...vars } = env;
  const config = configFromEnv(vars as ShimBindings);
  if (config.tokenAccounts.size === 0) return createShim({ config, v2Transport: createSocketTransport(), ...options });
  // Isolates generating their own tokens would void each other's: every isolate asks the account's object.
  if (!holders) throw new ShimConfigError('SHIM_TOKEN_ACCOUNTS', 'needs the ACCOUNT_TOKENS Durable Object binding (wrangler.jsonc), so that every isolate shares one token per account');
  const tokenAccounts = remoteTokenAccounts((userName) => holders.get(holders.idFromName(userName)) as unknown as TokenHolder, { baseUrl: config.v2BaseUrl, timeoutMs: config.timeoutMs });
  return createShim({ config, v2Transport: createSocketTransport(), tokenAccounts, ...options });
}

// One shim per isolate, built on the first request (bindings are only known then). Metrics are
// therefore per isolate; see README.
let shim: Shim | undefined;

export default {
  fetch(request: Request, env: ShimWorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
    try {
      shim ??= createWorkerShim(env);
    } catch (error) {
      // A configuration error names the variable; it carries no secret (values are never echoed for tokens).
      console.error(`[shim] ${error instanceof Error ? error.message : String(error)}`);
      return Promise.resolve(new Response(v1Body({ status: 'error', message: SHIM_MESSAGES.unavailable }), { status: 503, headers: { 'content-type': 'application/json' } }));
    }
    return shim.fetch(request, env, ctx);
  },
};
