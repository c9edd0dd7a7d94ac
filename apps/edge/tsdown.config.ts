import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Only the Node side and the OpenAPI builder are built here; wrangler bundles src/worker.ts itself
// (dev, deploy), after running `pnpm build` (wrangler.jsonc "build") so the document is current.
export default packageConfig(['src/node.ts', 'src/node-runtime.ts', 'src/openapi.ts'], { dts: false, platform: 'node', fixedExtension: false });
