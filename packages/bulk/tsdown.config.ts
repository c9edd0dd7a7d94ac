import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Two entries: `.` (runtime-neutral: the runner and the journal over any store) and `./node` (the
// file journal store). Declarations are built with the Node tsconfig because ./node needs Node's
// types; the neutral entry is type-checked without them by `lint` (tsconfig.json).
export default packageConfig(['src/index.ts', 'src/node.ts'], {
  tsconfig: 'tsconfig.node.json',
  deps: { neverBundle: [/^node:/] },
});
