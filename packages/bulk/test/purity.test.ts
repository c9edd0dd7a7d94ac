import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The runner and the journal run in Workers too: only the ./node entry may touch Node.
const NODE_ONLY = new Set(['node.ts', 'file-journal-store.ts', 'file-job-storage.ts']);
const src = join(import.meta.dirname, '..', 'src');

describe('runtime-neutral sources', () => {
  it.each(readdirSync(src).filter((f) => f.endsWith('.ts') && !NODE_ONLY.has(f)))('%s uses no Node API', (file) => {
    const text = readFileSync(join(src, file), 'utf8');
    expect(text).not.toMatch(/from ['"]node:|\bprocess\.|\bBuffer\b|require\(/);
  });
});
