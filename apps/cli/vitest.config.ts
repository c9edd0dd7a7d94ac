import { vitestConfig } from '../../vitest.shared.js';

// The command tests spawn bin/run.cjs (the built CLI) against an in-process simulator: a few
// seconds per file on two cores, so files run in parallel but not more of them than cores.
export default vitestConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
