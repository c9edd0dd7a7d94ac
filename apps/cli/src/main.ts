// oclif's runner: bin/run.js hands over here (through dist/commands.js, which re-exports it) for
// everything the router does not answer.
import { execute } from '@oclif/core/execute';
import { settings } from '@oclif/core/settings';

/** Runs caphone with `dir` as oclif's root (a file URL inside the package: package.json is found from it). */
export async function run(dir: string, argv: string[] = process.argv.slice(2)): Promise<void> {
  // Always the bundle: never look for tsx or ts-node (oclif tries when NODE_ENV is development or
  // test, e.g. when a test runner spawns us), which costs time and could pick src/.
  settings.enableAutoTranspile = false;
  await execute({ args: argv, dir });
}
