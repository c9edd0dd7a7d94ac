// oclif's runner: bin/run.js hands over here (through dist/commands.js, which re-exports it) for
// everything the router does not answer.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Interfaces } from '@oclif/core';
import { execute } from '@oclif/core/execute';
import { settings } from '@oclif/core/settings';
import { bundledPlugin } from './bundled-plugin.js';

/**
 * Runs caphone with `dir` as oclif's root (a file URL inside the package: package.json is found
 * from it). With `pjson` (bin/run.js has read it) and the command registry, oclif's config is
 * built from the bundled plugin instead of from disk (src/bundled-plugin.ts); without them, or
 * when the manifest does not match, oclif loads it its own way.
 */
export async function run(
  dir: string,
  argv: string[] = process.argv.slice(2),
  bundle?: { pjson: Interfaces.PJSON; registry: Readonly<Record<string, Command.Class>> },
): Promise<void> {
  // Always the bundle: never look for tsx or ts-node (oclif tries when NODE_ENV is development or
  // test, e.g. when a test runner spawns us), which costs time and could pick src/.
  settings.enableAutoTranspile = false;
  // `dir` is bin/run.js: the package root is the folder above it.
  const root = dirname(dirname(fileURLToPath(dir)));
  const plugin = bundle ? bundledPlugin(root, bundle.pjson, bundle.registry) : undefined;
  await execute(plugin ? { args: argv, loadOptions: { root, pjson: bundle!.pjson, plugins: new Map([[plugin.name, plugin]]) } } : { args: argv, dir });
}
