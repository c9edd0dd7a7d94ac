import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, CLI_ROOT, caphone, cleanEnv, scratchDir } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());
const env = () => cleanEnv(scratch.path);

describe('help, version, manifest, autocomplete', () => {
  it('every caphone command shows the exit-code table in --help', async () => {
    for (const id of [['phone', 'edit'], ['phone', 'bulk-edit'], ['sandbox'], ['config', 'set']]) {
      const run = await caphone([...id, '--help'], { env: env() });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('EXIT CODES');
      expect(run.stdout).toMatch(/8 {2}outcome unknown/);
    }
  });

  it('phone edit --help documents its flags and examples', async () => {
    const run = await caphone(['phone', 'edit', '--help'], { env: env() });
    for (const flag of ['--number', '--name', '--new-number', '--new-name', '--assign-skill', '--unassign-skill', '--json', '--dry-run', '--verbose', '--api-key-stdin', '--region', '--api']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('EXAMPLES');
  });

  it('--version answers in oclif format', async () => {
    const pjson = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8'));
    const run = await caphone(['--version'], { env: env() });
    expect(run.stdout.trim()).toBe(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`);
  });

  it('the manifest lists every command under dist/commands, the migrate scan included', () => {
    const manifest = JSON.parse(readFileSync(join(CLI_ROOT, 'oclif.manifest.json'), 'utf8'));
    expect(Object.keys(manifest.commands).sort()).toEqual(
      expect.arrayContaining(['config:list', 'config:remove', 'config:set', 'config:show', 'migrate:scan', 'phone:bulk-edit', 'phone:create', 'phone:delete', 'phone:edit', 'phone:get', 'sandbox']),
    );
  });

  it("the manifest matches package.json's version (oclif ignores a stale one and imports every command)", () => {
    const manifest = JSON.parse(readFileSync(join(CLI_ROOT, 'oclif.manifest.json'), 'utf8'));
    const pjson = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(pjson.version);
  });

  it('phone edit --help loads the runner from the bundle and nothing else: no command, no node_modules, no zod (start-up time)', () => {
    // An ESM load hook (Node runs it beside the main thread) reports every module the CLI imports.
    const hooks = join(scratch.path, 'log-loads.mjs');
    writeFileSync(hooks, "export async function load(url, context, next) { process.stderr.write(`LOAD ${url}\\n`); return next(url, context); }\n");
    const register = join(scratch.path, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, 'phone', 'edit', '--help'], { env: env(), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('--new-number');
    const loaded = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('LOAD file:'))
      .map((line) => line.slice('LOAD '.length));
    expect(loaded.some((url) => url.endsWith('/bin/run.js'))).toBe(true); // the hook saw the loads
    const dist = pathToFileURL(join(CLI_ROOT, 'dist')).href;
    // Everything the CLI runs is in dist/ (scripts/build.mjs): a file from node_modules means the
    // bundle leaked a dependency, which would also break the tarball that installs alone.
    expect(loaded.filter((url) => !url.startsWith(`${dist}/`) && !url.endsWith('/bin/run.js'))).toEqual([]);
    // The command registry (and with it core, zod and every command class) is not needed for help.
    expect(loaded.filter((url) => url === `${dist}/commands.js`)).toEqual([]);
  });

  it('the autocomplete plugin is wired', async () => {
    const run = await caphone(['autocomplete', 'bash'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/caphone/);
  });

  it('an unknown command is a usage error (exit 2)', async () => {
    const run = await caphone(['phone', 'frobnicate'], { env: env() });
    expect(run.code).toBe(2);
  });
});
