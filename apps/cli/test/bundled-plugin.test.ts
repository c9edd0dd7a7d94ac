import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Config, type Command, type Interfaces } from '@oclif/core';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledPlugin } from '../src/bundled-plugin.js';
import { CLI_ROOT } from './helpers.js';

// The built registry (what bin/run.cjs hands to the runner).
const { COMMANDS } = createRequire(import.meta.url)(join(CLI_ROOT, 'dist', 'commands.cjs')) as { COMMANDS: Record<string, Command.Class> };
const pjson = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')) as Interfaces.PJSON;
const scratch = mkdtempSync(join(tmpdir(), 'caphone-plugin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the bundled plugin', () => {
  it("gives oclif the same config its own plugin discovery does: commands, topics, hooks, directories", async () => {
    const plugin = bundledPlugin(CLI_ROOT, pjson, COMMANDS);
    expect(plugin).toBeDefined();
    const discovered = await Config.load({ root: CLI_ROOT });
    const bundled = await Config.load({ root: CLI_ROOT, pjson, plugins: new Map([[plugin!.name, plugin!]]) });
    expect(bundled.commandIDs).toEqual(discovered.commandIDs);
    expect(bundled.commandIDs).toContain('phone:edit');
    expect(bundled.topics.map((t) => t.name).sort()).toEqual(discovered.topics.map((t) => t.name).sort());
    expect(bundled.plugins.get(pjson.name)!.hooks).toEqual(discovered.plugins.get(pjson.name)!.hooks);
    for (const key of ['bin', 'dirname', 'configDir', 'cacheDir', 'dataDir', 'userAgent', 'topicSeparator', 'version'] as const) {
      expect(bundled[key], key).toEqual(discovered[key]);
    }
    // Flags as the manifest has them: help, autocomplete and normalizeArgv read these.
    expect(bundled.findCommand('phone:bulk-edit')!.args).toEqual(discovered.findCommand('phone:bulk-edit')!.args);
    expect(Object.keys(bundled.findCommand('phone:edit')!.flags)).toEqual(Object.keys(discovered.findCommand('phone:edit')!.flags));
    expect(await bundled.findCommand('phone:edit')!.load()).toBe(COMMANDS['phone:edit']);
    // The not-found hook runs from it as from oclif's own plugin.
    const hook = await bundled.runHook('command_not_found', { id: 'phone:edti', argv: [] }, undefined, true);
    expect(hook.failures).toEqual([]);
    expect(hook.successes).toHaveLength(1);
    process.exitCode = undefined;
  });

  it('steps aside when the manifest is missing, stale, or disagrees with the registry (oclif then loads its own way)', () => {
    const copy = join(scratch, 'pkg');
    cpSync(join(CLI_ROOT, 'oclif.manifest.json'), join(copy, 'oclif.manifest.json'), { recursive: true });
    expect(bundledPlugin(copy, pjson, COMMANDS)).toBeDefined();
    expect(bundledPlugin(join(scratch, 'nothing-here'), pjson, COMMANDS)).toBeUndefined();
    expect(bundledPlugin(copy, { ...pjson, version: '99.0.0' }, COMMANDS)).toBeUndefined();
    const { 'phone:edit': _edit, ...fewer } = COMMANDS;
    expect(bundledPlugin(copy, pjson, fewer)).toBeUndefined();
    writeFileSync(join(copy, 'oclif.manifest.json'), '{ not json');
    expect(bundledPlugin(copy, pjson, COMMANDS)).toBeUndefined();
  });
});
