#!/usr/bin/env node
// `caphone --version` is what scripts and installers call to check the CLI is there: answer it
// without loading oclif (its ~160 modules are most of the start-up time), in oclif's own format.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // Everything else runs from the bundle (scripts/build.mjs). oclif finds package.json and
  // oclif.manifest.json from the dir it is given: this file's URL.
  const { run } = await import('../dist/main.js');
  await run(import.meta.url, argv);
}
