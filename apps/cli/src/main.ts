// oclif's runner: bin/run.cjs hands over here (through dist/commands.cjs, which re-exports it) for
// everything the router does not answer.
import { dirname } from 'node:path';
import type { Command, Interfaces } from '@oclif/core';
import { execute } from '@oclif/core/execute';
import { settings } from '@oclif/core/settings';
import { bundledPlugin } from './bundled-plugin.js';

/**
 * Runs caphone with `bin` (the path of bin/run.cjs) as oclif's root: package.json is found from
 * it. With `pjson` (bin/run.cjs has read it) and the command registry, oclif's config is built
 * from the bundled plugin instead of from disk (src/bundled-plugin.ts); without them, or when the
 * manifest does not match, oclif loads it its own way.
 */
export async function run(
  bin: string,
  argv: string[] = process.argv.slice(2),
  bundle?: { pjson: Interfaces.PJSON; registry: Readonly<Record<string, Command.Class>> },
): Promise<void> {
  // Always the bundle: never look for tsx or ts-node (oclif tries when NODE_ENV is development or
  // test, e.g. when a test runner spawns us), which costs time and could pick src/.
  settings.enableAutoTranspile = false;
  // The package root is the folder above bin/.
  const root = dirname(dirname(bin));
  const plugin = bundle ? bundledPlugin(root, bundle.pjson, bundle.registry) : undefined;
  await execute(plugin ? { args: argv, loadOptions: { root, pjson: bundle!.pjson, plugins: new Map([[plugin.name, plugin]]) } } : { args: argv, dir: bin });
}
