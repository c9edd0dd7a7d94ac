import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Two entries: `.` (runtime-neutral) and `./workers` (the Durable Object). Declarations are built
// with the Workers tsconfig because the workers entry needs the runtime's types; the neutral one is
// type-checked without them by `lint` (tsconfig.json).
export default packageConfig(['src/index.ts', 'src/workers.ts'], {
  tsconfig: 'tsconfig.workers.json',
  // The runtime's own modules stay imports (Workers resolves them, no bundler may).
  deps: { neverBundle: [/^cloudflare:/] },
});
