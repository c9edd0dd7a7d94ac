import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim, type ExecutionContextLike, type Shim } from './app.js';
import { configFromEnv } from './config.js';
import type { ShimBindings } from './worker.js';

/**
 * `pnpm dev` (wrangler dev -c wrangler.dev.jsonc) and the workerd tests: the same shim, with v2
 * played by the simulator inside the same isolate (its `fetch` injected into the fetch transport),
 * so nothing leaves the machine. Account `demo`, key `demo-key`, one seeded number.
 */
let shim: Shim | undefined;
const SIMULATOR_ORIGIN = 'http://simulator.invalid';

export const simulator = createSimulator({
  userName: 'demo',
  apiKey: 'demo-key',
  records: [{ phoneNumber: '+919876543210', phoneName: 'Support', skills: ['General'] }],
});

export default {
  fetch(request: Request, env: ShimBindings, ctx: ExecutionContextLike): Promise<Response> {
    shim ??= createShim({
      // The simulator answers inside this isolate: nothing travels, so its plain-http origin is allowed.
      config: configFromEnv({ ...env, CLOUDAGENT_BASE_URL: SIMULATOR_ORIGIN }, { allowHttpOrigins: [SIMULATOR_ORIGIN] }),
      v2Transport: createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) }),
    });
    return shim.fetch(request, env, ctx);
  },
};
