import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, caphone, cleanEnv, scratchDir } from './helpers.js';

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
