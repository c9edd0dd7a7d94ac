// The one build configuration every package shares: ESM, declarations, source maps.
// platform 'neutral' emits dist/<entry>.js + .d.ts (tsdown names files by platform: 'node' would
// emit .mjs), so every package's `exports` map can follow one pattern.
import { defineConfig } from 'tsdown';

export function packageConfig(entry, overrides = {}) {
  return defineConfig({
    entry,
    platform: 'neutral',
    format: 'esm',
    dts: true,
    sourcemap: true,
    clean: true,
    ...overrides,
  });
}
