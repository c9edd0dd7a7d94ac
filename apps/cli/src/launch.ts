// What bin/run.cjs loads first (dist/launch.cjs, built on its own and importing nothing of the
// bundle): the router, which answers help and the --json guarantee without the bundle, and the
// loader that runs everything else from the bundle through V8's code cache.
export { caphoneCacheDir, codeCacheDir, loadBundle } from './code-cache.js';
export { loadHelpPages, route } from './router.js';

declare const __CAPHONE_BUNDLE_HASH__: string;
/** dist/commands.cjs's content hash, written in by scripts/build.mjs: part of the code cache's file name. */
export const BUNDLE_HASH: string = __CAPHONE_BUNDLE_HASH__;
