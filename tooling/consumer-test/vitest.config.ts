import { vitestConfig } from '../../vitest.shared.js';

// Packing and a real npm install take a while; one generous timeout for the whole file.
export default vitestConfig({ test: { testTimeout: 300_000, hookTimeout: 300_000 } });
