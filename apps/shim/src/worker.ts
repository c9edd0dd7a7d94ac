import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import { createShim, type ExecutionContextLike, type Shim, type ShimOptions } from './app.js';
import { configFromEnv } from './config.js';
import { createDurableObjectUsageStore, type UsageNamespaceLike } from './usage/durable-object-usage.js';
import { MemoryUsageStore, type UsageStore } from './usage/usage-store.js';
import { SHIM_MESSAGES, v1Body } from './v1-answer.js';
import { workerTokens, type TokenBindings } from './worker-tokens.js';

export { AccountTokens } from '@cloudagent-phone/server/workers';

export { UsageAggregator } from './usage/durable-object-usage.js';

/**
 * Workers entry: configuration from the Worker's vars and secrets; v2 over the socket transport
 * (HTTP/1.1 on `cloudflare:sockets`), which can send v2's GET-with-body `get`: ambiguous mutations
 * are read back and shadow reads run, as on Node. Counts go to the SHIM_USAGE aggregator.
 */
export type ShimBindings = Record<string, unknown> & {
  /** The usage aggregator (Durable Object); without it, counts are this isolate's only. */
  SHIM_USAGE?: UsageNamespaceLike;
} & TokenBindings;

/** The string vars and secrets, for configFromEnv (bindings such as SHIM_USAGE are not configuration). */
export function varsOf(env: ShimBindings): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value;
  return vars;
}

/** The durable counts: the aggregator when bound; otherwise this isolate's memory, said once. */
export function usageStoreOf(env: ShimBindings): UsageStore {
  if (env.SHIM_USAGE) return createDurableObjectUsageStore(env.SHIM_USAGE);
  console.warn('[shim] no SHIM_USAGE Durable Object binding: /_shim/metrics shows this isolate only (see README "Metrics")');
  return new MemoryUsageStore();
}

/**
 * The shim the Worker runs for these bindings: v2 (and the legacy host) over the socket transport;
 * SHIM_TOKEN_ACCOUNTS' tokens from the ACCOUNT_TOKENS Durable Object.
 */
export function createWorkerShim(env: ShimBindings, options: Pick<ShimOptions, 'log' | 'usageStore'> = {}): Shim {
  const config = configFromEnv(varsOf(env));
  return createShim({
    config,
    v2Transport: createSocketTransport(),
    ...workerTokens(env, config),
    usageStore: options.usageStore ?? usageStoreOf(env),
    ...(options.log ? { log: options.log } : {}),
  });
}

// One shim per isolate, built on the first request (bindings are only known then). Its counts go
// to the SHIM_USAGE aggregator, which every isolate shares.
let shim: Shim | undefined;

export default {
  fetch(request: Request, env: ShimBindings, ctx: ExecutionContextLike): Promise<Response> {
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
