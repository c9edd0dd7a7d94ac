#!/usr/bin/env node
// CommonJS, as the bundle is: an ES module entry would start Node's ESM loader (its own modules,
// fs/promises and streams: about 10 ms) for nothing, and only a CommonJS bundle can be run through
// V8's code cache on Node 20 (dist/launch.cjs, src/code-cache.ts).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const argv = process.argv.slice(2);
const pjson = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const userAgent = `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`;
// `caphone --version` is what scripts and installers call to check the CLI is there: answered
// before anything else loads, in oclif's own format.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${userAgent}\n`);
} else {
  // Help comes from the pages rendered at build time, and --json always gets one document
  // (the router); everything else runs from the bundle, with this file as oclif's root.
  const dist = join(__dirname, '..', 'dist');
  const launch = require('../dist/launch.cjs');
  const routed = launch.route(argv, () => launch.loadHelpPages(join(dist, 'help.json')), userAgent);
  if (routed.kind === 'print') {
    process.exitCode = routed.exitCode;
    process.stdout.write(routed.stdout);
  } else {
    const dir = launch.codeCacheDir(process.env, process.platform, require('node:os').homedir);
    const { run, COMMANDS } = launch.loadBundle(join(dist, 'commands.cjs'), { dir, bundleHash: launch.BUNDLE_HASH });
    // oclif's config from the bundled plugin (the registry and this package.json), not from disk.
    run(__filename, routed.argv, { pjson, registry: COMMANDS });
  }
}
