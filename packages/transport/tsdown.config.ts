import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Two entries: `.` (runtime-neutral) and `./node` (node:http). Declarations are built with the Node
// tsconfig because the node entry needs Node's types; the neutral one is type-checked without them
// by `lint` (tsconfig.json).
export default packageConfig(['src/index.ts', 'src/node.ts'], {
  tsconfig: 'tsconfig.node.json',
  // node: built-ins stay imports of the ./node entry (the neutral platform does not know them).
  deps: { neverBundle: [/^node:/] },
});
