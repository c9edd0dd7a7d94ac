// The "." entry must run in Workers: nothing it reaches may import node:* or the Node adapter.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(src, file), 'utf8');
  for (const m of text.matchAll(/from '(\.\/[^']+)\.js'/g)) reachable(`${m[1]!.slice(2)}.ts`, seen);
  return seen;
}

describe('runtime-neutral entry', () => {
  const files = [...reachable('index.ts')];

  it('reaches the modules it should (and not node.ts or state-file.ts)', () => {
    expect(files).toContain('app.ts');
    expect(files).not.toContain('node.ts');
    expect(files).not.toContain('state-file.ts');
  });

  it.each(files)('%s imports nothing from node or @hono/node-server', (file) => {
    const text = readFileSync(join(src, file), 'utf8');
    expect(text).not.toMatch(/from 'node:|from '@hono\/node-server'|\brequire\(|(?<![\w-])process\.|\bBuffer\./);
  });
});
