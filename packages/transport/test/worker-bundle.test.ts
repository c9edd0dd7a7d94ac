// What a Worker built on createClientWithTransport ships, checked on the built dist with esbuild at
// the version wrangler 4.86 bundles Workers with, minified: neither the fetch transport
// (createClient's default) nor v1 (its encoder, endpoint and deprecation notice) comes along;
// createClient brings both. Runs after the build (turbo's test task depends on it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

async function bundleOf(names: readonly string[]): Promise<string> {
  if (!existsSync(DIST)) throw new Error('dist/index.js is missing: run `pnpm build` in packages/transport first');
  const result = await build({
    stdin: { contents: `export { ${names.join(', ')} } from ${JSON.stringify(DIST)};`, resolveDir: PACKAGE_DIR, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const V1_ONLY = ['/CAServices/PhoneManageV2.php', 'passed its announced deprecation date', 'v1 has no token authentication'];
const FETCH_TRANSPORT = 'name:"fetch"';

describe('the Worker-sized client', () => {
  it('createClientWithTransport leaves v1 and the fetch transport out', async () => {
    const code = await bundleOf(['createClientWithTransport']);
    for (const text of [...V1_ONLY, FETCH_TRANSPORT]) expect(code, `"${text}" should not be in the bundle`).not.toContain(text);
  });

  it('createClient brings both (so the check above can fail)', async () => {
    const code = await bundleOf(['createClient']);
    for (const text of [...V1_ONLY, FETCH_TRANSPORT]) expect(code).toContain(text);
  });
});
