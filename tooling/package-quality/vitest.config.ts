import { vitestConfig } from '../../vitest.shared.js';

export default vitestConfig({ test: { testTimeout: 120_000 } });
