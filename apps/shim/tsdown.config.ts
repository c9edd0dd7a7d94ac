import { packageConfig } from '@cloudagent-phone/tsdown-config';

// index: the runtime-neutral app; node + main: the Node server and `pnpm start`; worker: the Workers
// entry (wrangler bundles from src itself, this build is for type-checked consumers and start).
export default packageConfig(['src/index.ts', 'src/node.ts', 'src/main.ts', 'src/worker.ts']);
