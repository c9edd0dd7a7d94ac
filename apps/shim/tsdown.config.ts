import { packageConfig } from '@cloudagent-phone/tsdown-config';

// index: the runtime-neutral app; node + main: the Node server and `pnpm start`. The Workers entries
// (src/worker.ts, src/dev-worker.ts) are bundled by wrangler from src: they import cloudflare:workers.
export default packageConfig(['src/index.ts', 'src/node.ts', 'src/main.ts']);
