import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Only the Node side (platform node: node:crypto, node:http) and the OpenAPI builder are built here.
// wrangler bundles src/worker.ts itself, after running `pnpm run build` (wrangler.jsonc "build"), so
// the generated OpenAPI document is current. fixedExtension false keeps dist/*.js (not .mjs).
export default packageConfig(['src/main.ts', 'src/node-runtime.ts', 'src/openapi.ts'], { dts: false, platform: 'node', fixedExtension: false });
