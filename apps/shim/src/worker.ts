import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import { createShim, type ExecutionContextLike, type Shim, type ShimOptions } from './app.js';
import { configFromEnv } from './config.js';
import { SHIM_MESSAGES, v1Body } from './v1-answer.js';

/**
 * Workers entry: configuration from the Worker's vars and secrets; v2 over the socket transport
 * (HTTP/1.1 on `cloudflare:sockets`), which can send v2's GET-with-body `get`: ambiguous mutations
 * are read back and shadow reads run, as on Node.
 */
export type ShimBindings = Record<string, string | undefined>;

/** The shim the Worker runs for these bindings: v2 (and the legacy host) over the socket transport. */
export function createWorkerShim(env: ShimBindings, options: Pick<ShimOptions, 'log'> = {}): Shim {
  return createShim({ config: configFromEnv(env), v2Transport: createSocketTransport(), ...options });
}

// One shim per isolate, built on the first request (bindings are only known then). Metrics are
// therefore per isolate; see README.
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
