import { vitestConfig } from '../../vitest.shared.js';

export default vitestConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000 } });
