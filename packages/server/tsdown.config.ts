import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Three entries in two builds, because the runtimes' type sets do not mix: `.` (runtime-neutral)
// and `./workers` (the Durable Object) with the Workers tsconfig (the workers entry needs the
// runtime's types; the neutral one is type-checked without them by `lint`, tsconfig.json), and
// `./node` (serving on Node) with Node's. The second build must not clean the first one's output.
export default [
  packageConfig(['src/index.ts', 'src/workers.ts'], {
    tsconfig: 'tsconfig.workers.json',
    // The runtime's own modules stay imports (Workers resolves them, no bundler may).
    deps: { neverBundle: [/^cloudflare:/] },
  }),
  packageConfig(['src/node.ts'], {
    tsconfig: 'tsconfig.node.json',
    clean: false,
    deps: { neverBundle: [/^node:/] },
  }),
];
