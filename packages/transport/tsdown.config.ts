import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Five entries: `.` (runtime-neutral), `./node` (node:http), `./workers` (cloudflare:sockets), and
// the contract suites: `./testing` (runtime-neutral, imports vitest) and `./testing/node` (their
// node:http server). Declarations are built with the Node tsconfig because the node entries need
// Node's types; the neutral ones are type-checked without them by `lint` (tsconfig.json).
export default packageConfig(['src/index.ts', 'src/node.ts', 'src/workers.ts', 'src/testing.ts', 'src/testing/node.ts'], {
  tsconfig: 'tsconfig.node.json',
  // Runtime built-ins stay imports of their own entry: node: in the node entries, cloudflare: in
  // ./workers. vitest is the testing entries' peer, never bundled (tsdown leaves peers external).
  deps: { neverBundle: [/^node:/, /^cloudflare:/, 'vitest'] },
});
