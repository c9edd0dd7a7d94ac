import { isLoopbackHost } from '@cloudagent-phone/core';
import { AccountTokens as SocketAccountTokens } from '@cloudagent-phone/server/workers';
import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport, type Transport } from '@cloudagent-phone/transport';
import { createShim, type ExecutionContextLike, type Shim } from './app.js';
import { configFromEnv } from './config.js';
import { usageStoreOf, varsOf, type ShimBindings } from './worker.js';

export { UsageAggregator } from './usage/durable-object-usage.js';

/**
 * `pnpm dev` (wrangler dev -c wrangler.dev.jsonc) and the workerd tests: the same shim, with v2
 * played by the simulator inside the same isolate (its `fetch` injected into the fetch transport),
 * so nothing leaves the machine. Account `demo`, key `demo-key`, one seeded number.
 */
let shim: Shim | undefined;

export const simulator = createSimulator({
  userName: 'demo',
  apiKey: 'demo-key',
  records: [{ phoneNumber: '+919876543210', phoneName: 'Support', skills: ['General'] }],
});

const DEV_V2 = 'http://simulator.invalid';

/**
 * The production token holder (socket transport), except that generateToken to a host that is not
 * on loopback goes over fetch: to the dev simulator in this isolate for its origin, to the
 * runtime's fetch (looked up at each call, so a test can answer it) for any other.
 * wrangler.dev.jsonc binds it as ACCOUNT_TOKENS.
 */
export class AccountTokens extends SocketAccountTokens {
  protected override transport(): Transport {
    const sockets = super.transport();
    const inIsolate = createFetchTransport({
      fetch: (input, init) => {
        const request = new Request(input, init);
        return new URL(request.url).origin === DEV_V2 ? simulator.fetch(request) : fetch(request);
      },
    });
    const loopback = (url: string) => isLoopbackHost(new URL(url).hostname);
    return { name: 'dev', capabilities: inIsolate.capabilities, send: (request, signal) => (loopback(request.url) ? sockets : inIsolate).send(request, signal) };
  }
}

export default {
  fetch(request: Request, env: ShimBindings, ctx: ExecutionContextLike): Promise<Response> {
    shim ??= createShim({
      // The simulator answers inside this isolate: nothing travels, so its plain-http origin is allowed.
      config: configFromEnv({ ...varsOf(env), CLOUDAGENT_BASE_URL: DEV_V2 }, { allowHttpOrigins: [DEV_V2] }),
      v2Transport: createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) }),
      usageStore: usageStoreOf(env),
      ...(env.ASSETS ? { dashboardAssets: env.ASSETS } : {}),
    });
    return shim.fetch(request, env, ctx);
  },
};
