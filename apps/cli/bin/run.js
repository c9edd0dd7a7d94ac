#!/usr/bin/env node
// `caphone --version` is what scripts and installers call to check the CLI is there: answer it
// without loading oclif (its ~160 modules are most of the start-up time), in oclif's own format.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // oclif as ESM: the dir is this file's URL; oclif finds package.json and oclif.manifest.json from it.
  // The subpaths, not '@oclif/core' itself: its index checks the Node version with semver (~45
  // modules, ~30 ms) before anything else, and --help needs neither that nor the rest of the index.
  const [{ execute }, { settings }] = await Promise.all([import('@oclif/core/execute'), import('@oclif/core/settings')]);
  // Always the compiled dist/: never look for tsx or ts-node (oclif tries when NODE_ENV is
  // development or test, e.g. when a test runner spawns us), which costs time and could pick src/.
  settings.enableAutoTranspile = false;
  await execute({ dir: import.meta.url });
}
