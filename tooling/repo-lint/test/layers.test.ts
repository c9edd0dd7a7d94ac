// The layering rule must fail on each kind of import it forbids. Each test builds a scratch
// workspace shaped like ours (packages/core, packages/transport, packages/simulator, apps/edge,
// apps/shim), adds one offending import, and runs the same check `npm test` runs on the real tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without declarations, run by node in `pnpm lint`
import { checkLayers } from '../src/layers.mjs';

type Violation = { rule: string; from: string; to: string };
const check = checkLayers as (root: string) => Promise<Violation[]>;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const manifest = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, version: '0.0.0', type: 'module', exports: { '.': './dist/index.js', './package.json': './package.json' }, ...extra });

/** A workspace whose every import is allowed, with `changes` written over it. */
function workspace(changes: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  made.push(root);
  const files: Record<string, string> = {
    'packages/core/package.json': manifest('@fx/core'),
    'packages/core/src/index.ts': `export const pure = 1;\n`,
    'packages/core/src/index.test.ts': `import { readFileSync } from 'node:fs';\nexport const t = readFileSync;\n`,
    'packages/transport/package.json': manifest('@fx/transport', { dependencies: { '@fx/core': 'workspace:^' }, devDependencies: { '@fx/simulator': 'workspace:^' }, exports: { '.': './dist/index.js', './node': './dist/node.js' } }),
    'packages/transport/src/index.ts': `import { pure } from '@fx/core';\nexport const client = pure;\n`,
    'packages/transport/src/node.ts': `import { request } from 'node:http';\nexport const r = request;\n`,
    'packages/transport/test/client.test.ts': `import { sim } from '@fx/simulator';\nexport const s = sim;\n`,
    'packages/simulator/package.json': manifest('@fx/simulator', { dependencies: { '@fx/core': 'workspace:^', '@fx/transport': 'workspace:^' } }),
    'packages/simulator/src/index.ts': `import { pure } from '@fx/core';\nimport { client } from '@fx/transport';\nexport const sim = pure + client;\n`,
    'apps/edge/package.json': JSON.stringify({ name: '@fx/edge', private: true, dependencies: { '@fx/transport': 'workspace:^' }, devDependencies: { '@fx/simulator': 'workspace:^', 'dev-only-lib': '1.0.0' } }),
    'apps/edge/src/index.ts': `import { client } from '@fx/transport';\nimport type { r } from '@fx/transport/node';\nexport const edge = client;\nexport type R = typeof r;\n`,
    'apps/edge/src/dev-worker.ts': `import { sim } from '@fx/simulator';\nexport const dev = sim;\n`,
    'apps/edge/test/edge.test.ts': `import { sim } from '@fx/simulator';\nimport lib from 'dev-only-lib';\nexport const t = [sim, lib];\n`,
    'apps/edge/node_modules/dev-only-lib/package.json': JSON.stringify({ name: 'dev-only-lib', version: '1.0.0', main: 'index.js' }),
    'apps/edge/node_modules/dev-only-lib/index.js': `module.exports = 1;\n`,
    'apps/shim/package.json': JSON.stringify({ name: '@fx/shim', private: true, dependencies: { '@fx/core': 'workspace:^' } }),
    'apps/shim/src/index.ts': `import { pure } from '@fx/core';\nexport const shim = pure;\n`,
    ...changes,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const rulesBroken = async (root: string) => (await check(root)).map((v) => `${v.rule}: ${v.from} -> ${v.to}`);

describe('the layering rule', () => {
  it('passes a workspace that keeps the layers (tests and dev-*.ts entry points may use devDependencies)', async () => {
    expect(await rulesBroken(workspace())).toEqual([]);
  });

  it('fails core importing node:* (I/O)', async () => {
    const root = workspace({ 'packages/core/src/index.ts': `import { readFileSync } from 'node:fs';\nexport const pure = readFileSync;\n` });
    expect(await rulesBroken(root)).toEqual(['core-imports-no-io: packages/core/src/index.ts -> fs']);
  });

  it('fails core importing cloudflare:*', async () => {
    const root = workspace({ 'packages/core/src/index.ts': `import { connect } from 'cloudflare:sockets';\nexport const pure = connect;\n` });
    expect(await rulesBroken(root)).toEqual(['core-imports-no-io: packages/core/src/index.ts -> cloudflare:sockets']);
  });

  it('fails core importing another package of ours, even for a type', async () => {
    const root = workspace({ 'packages/core/src/index.ts': `import type { client } from '@fx/transport';\nexport const pure = 1;\nexport type C = typeof client;\n` });
    expect(await rulesBroken(root)).toEqual(['core-imports-only-lower-packages: packages/core/src/index.ts -> packages/transport/src/index.ts']);
  });

  it('fails transport importing a package above core, by name or by relative path', async () => {
    const byName = workspace({ 'packages/transport/src/index.ts': `import { sim } from '@fx/simulator';\nexport const client = sim;\n` });
    expect(await rulesBroken(byName)).toContain('transport-imports-only-lower-packages: packages/transport/src/index.ts -> packages/simulator/src/index.ts');
    const byPath = workspace({ 'packages/transport/src/index.ts': `import { sim } from '../../simulator/src/index.js';\nexport const client = sim;\n` });
    expect(await rulesBroken(byPath)).toContain('transport-imports-only-lower-packages: packages/transport/src/index.ts -> packages/simulator/src/index.ts');
  });

  it('fails a package importing a sibling package of the same rank', async () => {
    const root = workspace({
      'packages/server/package.json': manifest('@fx/server', { dependencies: { '@fx/simulator': 'workspace:^' } }),
      'packages/server/src/index.ts': `import { sim } from '@fx/simulator';\nexport const server = sim;\n`,
    });
    expect(await rulesBroken(root)).toEqual(['server-imports-only-lower-packages: packages/server/src/index.ts -> packages/simulator/src/index.ts']);
  });

  it('fails a package importing an app, even for a type and even in a test', async () => {
    const root = workspace({ 'packages/simulator/test/sim.test.ts': `import type { edge } from '../../../apps/edge/src/index.js';\nexport type E = typeof edge;\n` });
    expect(await rulesBroken(root)).toEqual(['no-package-imports-an-app: packages/simulator/test/sim.test.ts -> apps/edge/src/index.ts']);
  });

  it('fails an app importing another app', async () => {
    const root = workspace({ 'apps/shim/src/index.ts': `import { pure } from '@fx/core';\nimport type { edge } from '@fx/edge';\nexport const shim = pure;\nexport type E = typeof edge;\n` });
    expect(await rulesBroken(root)).toEqual(['no-app-imports-an-app: apps/shim/src/index.ts -> apps/edge/src/index.ts']);
  });

  it('fails production source importing a devDependency, from npm or from the workspace', async () => {
    const npm = workspace({ 'apps/edge/src/index.ts': `import lib from 'dev-only-lib';\nexport const edge = lib;\n` });
    expect(await rulesBroken(npm)).toEqual(['production-source-imports-no-dev-dependency: apps/edge/src/index.ts -> apps/edge/node_modules/dev-only-lib/index.js']);
    const ours = workspace({ 'apps/edge/src/index.ts': `import { sim } from '@fx/simulator';\nexport const edge = sim;\n` });
    expect(await rulesBroken(ours)).toEqual(['production-source-imports-no-dev-dependency: apps/edge/src/index.ts -> packages/simulator/src/index.ts']);
  });

  it('passes production source importing a peerDependency that is also a devDependency (a testing entry and its vitest)', async () => {
    const peer = {
      'packages/transport/package.json': manifest('@fx/transport', {
        dependencies: { '@fx/core': 'workspace:^' },
        peerDependencies: { 'test-runner': '^1.0.0' },
        peerDependenciesMeta: { 'test-runner': { optional: true } },
        devDependencies: { '@fx/simulator': 'workspace:^', 'test-runner': '1.0.0' },
        exports: { '.': './dist/index.js', './node': './dist/node.js', './testing': './dist/testing.js' },
      }),
      'packages/transport/src/testing.ts': `import run from 'test-runner';\nexport const suite = run;\n`,
      'packages/transport/node_modules/test-runner/package.json': JSON.stringify({ name: 'test-runner', version: '1.0.0', main: 'index.js' }),
      'packages/transport/node_modules/test-runner/index.js': `module.exports = 1;\n`,
    };
    expect(await rulesBroken(workspace(peer))).toEqual([]);
    // The same import of a devDependency that is no peer still fails.
    const devOnly = workspace({ ...peer, 'packages/transport/package.json': manifest('@fx/transport', { dependencies: { '@fx/core': 'workspace:^' }, devDependencies: { '@fx/simulator': 'workspace:^', 'test-runner': '1.0.0' } }) });
    expect(await rulesBroken(devOnly)).toEqual(['production-source-imports-no-dev-dependency: packages/transport/src/testing.ts -> packages/transport/node_modules/test-runner/index.js']);
  });
});
