import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Unbundled: dist mirrors src, one module per file, so a Worker bundler drops whole modules an
// app does not use (package.json says `sideEffects: false`). Constants are not inlined across
// modules: an inlined import would leave a bare `import './hosts.js'` behind, which esbuild (and
// so wrangler) warns about under `sideEffects: false`. src/index.ts orders the modules.
export default packageConfig(['src/index.ts'], { unbundle: true, inputOptions: { optimization: { inlineConst: false } } });
