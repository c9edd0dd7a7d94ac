import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The `.` entry runs anywhere (Node, Workers, browsers): no node: or cloudflare: imports, no Buffer
// or process. Only the ./workers entry may import cloudflare:workers, only ./node (src/node.ts and
// src/node/, not read here) node: modules. tsconfig.json enforces the
// same at type-check time; this also checks the built output and the dependency direction.
const RUNTIME_SPECIFIC = new Set(['workers.ts', 'account-tokens-object.ts', 'node.ts']);
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"]node:/, 'a node: import'],
  [/from\s+['"]cloudflare:/, 'a cloudflare: import'],
  [/require\(/, 'require()'],
  [/\bprocess\./, 'process'],
  [/\bBuffer\b/, 'Buffer'],
];

const root = join(import.meta.dirname, '..');
const srcDir = join(root, 'src');
const neutral = readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !RUNTIME_SPECIFIC.has(f));

describe('the . entry is runtime-neutral', () => {
  it.each(neutral)('%s uses no runtime-specific API', (file) => {
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const [pattern, what] of FORBIDDEN) expect(text, `${file} uses ${what}`).not.toMatch(pattern);
  });

  it('the built index.js and its chunks import neither node: nor cloudflare: modules; workers.js keeps cloudflare:workers external', () => {
    const dist = join(root, 'dist');
    const index = readFileSync(join(dist, 'index.js'), 'utf8');
    const chunks = [...index.matchAll(/from\s+['"]\.\/([^'"]+)['"]/g)].map((m) => readFileSync(join(dist, m[1]!), 'utf8'));
    for (const text of [index, ...chunks]) expect(text).not.toMatch(/from\s+['"](node|cloudflare):/);
    expect(readFileSync(join(dist, 'workers.js'), 'utf8')).toMatch(/from\s+['"]cloudflare:workers['"]/);
  });

  it('the built index.js carries neither the Node server nor the Durable Object', () => {
    const index = readFileSync(join(root, 'dist', 'index.js'), 'utf8');
    expect(index).not.toMatch(/@hono\/node-server|DurableObject/);
  });

  it('depends on core and transport only of our packages (packages never depend on an app), and on @hono/node-server for ./node', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['@cloudagent-phone/core', '@cloudagent-phone/transport', '@hono/node-server']);
    const sources = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(sources).toContain(join('node', 'serve.ts'));
    for (const file of sources) {
      const text = readFileSync(join(srcDir, file), 'utf8');
      for (const m of text.matchAll(/from\s+['"](@cloudagent-phone\/[^'"/]+)/g)) {
        expect(['@cloudagent-phone/core', '@cloudagent-phone/transport', '@cloudagent-phone/simulator'], `${file} imports ${m[1]}`).toContain(m[1]);
      }
    }
  });
});
