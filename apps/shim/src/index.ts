// The shim's programmatic entry: what the repository's tooling (the outcome matrix's tables) and
// the shim's benches use, with the types their signatures name. Everything else is internal: the
// Worker (src/worker.ts) and the Node server (./node: startShim, FileUsageStore, ...) are the ways
// in. Check with grep before adding a name: nothing outside src should need the rest.
export { createShim, type Shim, type ShimOptions } from './app.js';
export { configFromEnv, type ShimConfig } from './config.js';
export { answerFromV2 } from './answer-from-v2.js';
export type { V1Answer } from './v1-answer.js';
