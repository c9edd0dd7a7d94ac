import { vitestConfig } from '../../vitest.shared.js';

// Each case cruises a scratch workspace with dependency-cruiser: seconds apiece on a loaded machine.
export default vitestConfig({ test: { testTimeout: 120_000 } });
