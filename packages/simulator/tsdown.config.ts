import { packageConfig } from '@cloudagent-phone/tsdown-config';

// Two entries, both built "neutral" so they emit .js like every other package: index (Workers-safe)
// and node (@hono/node-server). node:* and the dependencies stay external.
export default packageConfig(['src/index.ts', 'src/node.ts'], { external: [/^node:/, /^@hono\//, /^hono/, /^@cloudagent-phone\//] });
