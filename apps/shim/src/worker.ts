import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim, type ExecutionContextLike, type Shim } from './app.js';
import { configFromEnv } from './config.js';
import { SHIM_MESSAGES, v1Body } from './v1-answer.js';
import { workerTokens } from './worker-tokens.js';

export { AccountTokens } from '@cloudagent-phone/server/workers';

/** Workers entry: configuration from the Worker's vars and secrets; v2 over the runtime's fetch. */
export type ShimBindings = Record<string, string | undefined>;

// One shim per isolate, built on the first request (bindings are only known then). Metrics are
// therefore per isolate; see README.
let shim: Shim | undefined;

export default {
  fetch(request: Request, env: ShimBindings, ctx: ExecutionContextLike): Promise<Response> {
    try {
      if (!shim) {
        const config = configFromEnv(env);
        shim = createShim({ config, v2Transport: createFetchTransport(), ...workerTokens(env, config) });
      }
    } catch (error) {
      // A configuration error names the variable; it carries no secret (values are never echoed for tokens).
      console.error(`[shim] ${error instanceof Error ? error.message : String(error)}`);
      return Promise.resolve(new Response(v1Body({ status: 'error', message: SHIM_MESSAGES.unavailable }), { status: 503, headers: { 'content-type': 'application/json' } }));
    }
    return shim.fetch(request, env, ctx);
  },
};
