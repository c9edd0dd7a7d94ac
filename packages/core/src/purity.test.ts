import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core must run unchanged in Node, Workers and browsers. tsconfig.json (ES lib only, no Node types)
// catches most slips at type-check time, and the layering rule (tooling/repo-lint) refuses node:* and
// cloudflare:* imports; this reads the sources in src/ for what neither sees: globals such as
// process, fetch, timers, the clock and randomness.
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"]node:/, 'a node: import'],
  [/require\(/, 'require()'],
  [/\bprocess\./, 'process'],
  [/\bfetch\(/, 'fetch'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\(/, 'a timer'],
  [/\bDate\.now\(|\bnew Date\(\)/, 'the clock'],
  [/\bMath\.random\(/, 'randomness'],
  [/\bconsole\./, 'console'],
  [/\bBuffer\b/, 'Buffer'],
];

const srcDir = join(import.meta.dirname, '.');
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('core is pure', () => {
  it.each(sources)('%s has no I/O, clock, randomness or runtime-specific API', (file) => {
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const [pattern, what] of FORBIDDEN) expect(text, `${file} uses ${what}`).not.toMatch(pattern);
  });

  it('imports nothing but zod/mini and its own files', () => {
    for (const file of sources) {
      const imports = [...readFileSync(join(srcDir, file), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of imports) expect(spec === 'zod/mini' || spec!.startsWith('./'), `${file} imports ${spec}`).toBe(true);
    }
  });
});
