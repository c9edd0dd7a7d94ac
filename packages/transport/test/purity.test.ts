import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The `.` entry must run in Workers and browsers: no node: imports, no Buffer or process. Only
// node-http-transport.ts and keep-alive-transport.ts (behind the ./node entry) may use Node. tsconfig.json enforces the same
// at type-check time; this also checks the built output.
const NODE_ONLY = new Set(['node.ts', 'node-http-transport.ts', 'keep-alive-transport.ts']);
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"]node:/, 'a node: import'],
  [/require\(/, 'require()'],
  [/\bprocess\./, 'process'],
  [/\bBuffer\b/, 'Buffer'],
];

const srcDir = join(import.meta.dirname, '../src');
const neutral = readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NODE_ONLY.has(f));

describe('the . entry is runtime-neutral', () => {
  it.each(neutral)('%s uses no Node-only API', (file) => {
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const [pattern, what] of FORBIDDEN) expect(text, `${file} uses ${what}`).not.toMatch(pattern);
  });

  it('the built index.js and its chunks import no node: module', () => {
    const dist = join(import.meta.dirname, '../dist');
    const index = readFileSync(join(dist, 'index.js'), 'utf8');
    const chunks = [...index.matchAll(/from\s+['"]\.\/([^'"]+)['"]/g)].map((m) => readFileSync(join(dist, m[1]!), 'utf8'));
    for (const text of [index, ...chunks]) {
      expect(text).not.toMatch(/from\s+['"]node:/);
      expect(text).not.toMatch(/from\s+['"]cloudflare:/);
      // vitest is the optional peer of ./testing only: the main entry must load without it.
      expect(text).not.toMatch(/from\s+['"]vitest['"]/);
    }
    expect(index).toMatch(/from\s+['"]ofetch['"]/);
  });
});

describe('the ./testing entries', () => {
  const dist = join(import.meta.dirname, '../dist');
  it('./testing imports vitest (left to the user, a peer) and no node: or cloudflare: module', () => {
    const testing = readFileSync(join(dist, 'testing.js'), 'utf8');
    expect(testing).toMatch(/from\s+['"]vitest['"]/);
    expect(testing).not.toMatch(/from\s+['"](node|cloudflare):/);
  });

  it('./testing/node is the node:http contract server, without vitest', () => {
    const server = readFileSync(join(dist, 'testing', 'node.js'), 'utf8');
    expect(server).toMatch(/from\s+['"]node:http['"]/);
    expect(server).not.toMatch(/from\s+['"]vitest['"]/);
  });
});

describe('the ./workers entry', () => {
  it('imports cloudflare:sockets (only there) and no node: module', () => {
    const workers = readFileSync(join(import.meta.dirname, '../dist/workers.js'), 'utf8');
    expect(workers).toMatch(/from\s+['"]cloudflare:sockets['"]/);
    expect(workers).not.toMatch(/from\s+['"]node:/);
  });
});
