#!/usr/bin/env node
// `caphone --version` is what scripts and installers call to check the CLI is there: answer it
// without loading oclif, in oclif's own format.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // Help comes from the pages rendered at build time, and --json always gets one document
  // (dist/router.js); everything else runs from the bundle, with this file's URL as oclif's root.
  const { readFileSync } = await import('node:fs');
  const { route, loadHelpPages } = await import('../dist/router.js');
  const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const routed = route(argv, loadHelpPages, `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`);
  if (routed.kind === 'print') {
    process.exitCode = routed.exitCode;
    process.stdout.write(routed.stdout);
  } else {
    // oclif's config from the bundled plugin (the registry and this package.json), not from disk.
    const { run, COMMANDS } = await import('../dist/commands.js');
    await run(import.meta.url, routed.argv, { pjson, registry: COMMANDS });
  }
}
