import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Three entries: `.` (runtime-neutral), `./node` (node:http) and `./workers` (cloudflare:sockets).
// Declarations are built with the Node tsconfig because the node entry needs Node's types; the
// neutral ones are type-checked without them by `lint` (tsconfig.json).
export default packageConfig(['src/index.ts', 'src/node.ts', 'src/workers.ts'], {
  tsconfig: 'tsconfig.node.json',
  // Runtime built-ins stay imports of their own entry: node: in ./node, cloudflare: in ./workers.
  deps: { neverBundle: [/^node:/, /^cloudflare:/] },
});
