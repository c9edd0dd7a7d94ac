#!/usr/bin/env node
// Builds the CLI as one module graph (esbuild): our code, the workspace packages, zod, csv-parse
// and the parts of oclif the CLI uses, in dist/. Why: installed from npm, a real command used to
// load about 270 files (zod's locales, all of @oclif/core, semver) and the tarball needed the
// unpublished workspace packages beside it. Bundled, the tarball installs alone and starts faster.
//
// Two files, both CommonJS: `launch` (dist/launch.cjs: the router, which answers help from
// dist/help.json, rendered after this by scripts/render-help.mjs, and the --json guarantee without
// oclif; and the code-cache loader), built alone so that it imports nothing of the bundle, and
// `commands` (dist/commands.cjs: oclif's runner, the explicit command registry oclif loads, and
// everything a command runs), one file that bin/run.cjs runs through V8's code cache
// (src/code-cache.ts). What commands import lazily (the simulator, csv-parse, the bulk machinery,
// the edge clients, shell completion) is in the same file but evaluated only when imported
// (esbuild wraps each such module in an init function), and with the code cache a run never
// compiles what it does not call. CommonJS because Node 20 can use a code cache only for a script
// (vm.Script), not for an ES module. oclif's help-and-error-only packages are files of their own
// (dist/lazy/, below).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(cli, 'dist');
rmSync(dist, { recursive: true, force: true });

/** '@oclif/core' (the index) → the subpaths the commands use; subpath imports are left as they are. */
const oclifSubpaths = {
  name: 'oclif-core-subpaths',
  setup(b) {
    b.onResolve({ filter: /^@oclif\/core$/ }, () => ({ path: join(cli, 'src', 'oclif-core-subpaths.ts') }));
  },
};

/**
 * Our own packages from their TypeScript sources, not their dist/ bundles: module by module, the
 * bundler can leave out what the CLI never calls. (From dist/, the transport's single file carries
 * the ofetch transport, whose first line touches globalThis.fetch: Node then loads undici, about
 * 40 ms, on every run.) `./x` in a package's exports is `src/x.ts`, `.` is `src/index.ts`.
 */
const workspaceSources = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@cloudagent-phone\/(core|transport|simulator|edge-client|bulk)(\/[\w-]+)?$/ }, (args) => {
      const [, name, subpath] = /^@cloudagent-phone\/([\w-]+)(?:\/([\w-]+))?$/.exec(args.path);
      return { path: join(cli, '..', '..', 'packages', name, 'src', `${subpath ?? 'index'}.ts`) };
    });
  },
};

/**
 * Start-up: oclif requires modules at load that a caphone run never calls. `debug` is replaced by
 * scripts/bundle-stubs/debug.cjs (the real one only when DEBUG is set); `minimatch` and
 * `tinyglobby` (oclif's plugin filters and its pattern command discovery, which caphone does not
 * use), `clean-stack` (stack traces of oclif's own errors) and `supports-color` (probes the
 * terminal) become lazy: the real module is evaluated the first time it is called or one of its
 * exports is read. Checked against how oclif 4.14 requires each: plain `require(...)` or
 * `__importDefault(require(...))`, which reads only `__esModule`: answered without loading, since
 * oclif reads each of the four's exports directly or calls the default (never through `__esModule`).
 * `cli-spinners` (the spinner's frames, a 31 KB table evaluated at load) and `ejs` (templates in
 * oclif's help and update URLs) are lazy the same way, and so are `wrap-ansi`, `string-width`,
 * `widest-line` and `indent-string` (laying out help and oclif's own error boxes: caphone's help is
 * pre-rendered and its commands print their own errors) and `lilconfig` (reads a plugin's
 * package.json: the bundled plugin, src/bundled-plugin.ts, reads none). Each is required by oclif as
 * `__importDefault(require(...))` and only called, or as `require(...)` and only read for its
 * exports. Lazy files bundle their own copy of what they share (string-width is in three of them):
 * about 30 KB more on disk, for 40 KB a run no longer parses. Only oclif's own requires are made lazy
 * (the autocomplete plugin imports another ejs, as ESM: it is evaluated with shell completion only).
 * Each lazy package is its own file in dist/lazy/, so a run that never calls it does not even read it.
 */
const LAZY_PACKAGES = /^(minimatch|tinyglobby|clean-stack|supports-color|cli-spinners|ejs|wrap-ansi|string-width|widest-line|indent-string|lilconfig)$/;
/** Lazy package → the file the bundler resolved it to (filled while building; each becomes dist/lazy/<name>.cjs). */
const lazyFiles = new Map();
const startupStubs = {
  name: 'startup-stubs',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, (args) => (args.pluginData?.real ? undefined : { path: join(cli, 'scripts', 'bundle-stubs', 'debug.cjs') }));
    b.onResolve({ filter: /^caphone-real-debug$/ }, (args) => b.resolve('debug', { resolveDir: realpathSync(join(cli, 'node_modules', '@oclif', 'core')), kind: args.kind, pluginData: { real: true } }));
    // The same for Node built-ins that oclif requires at load but uses only in rare paths: perf_hooks
    // (performance tracking, off), readline (prompting for a missing value) and child_process (the
    // user's shell name, for autocomplete). Not compiled into the snapshot, each costs a few ms.
    b.onResolve({ filter: /^node:(perf_hooks|readline|child_process)$/ }, (args) => {
      if (args.namespace === 'lazy-cjs' || !/@oclif[\\/]core[\\/]lib/.test(args.importer)) return undefined;
      return { path: args.path, namespace: 'lazy-cjs', pluginData: { resolveDir: args.resolveDir, builtin: true } };
    });
    b.onResolve({ filter: LAZY_PACKAGES }, (args) => {
      if (args.pluginData?.real || !/@oclif[\\/]core[\\/]lib/.test(args.importer)) return undefined;
      return { path: args.path, namespace: 'lazy-cjs', pluginData: { resolveDir: args.resolveDir } };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-cjs' }, async (args) => {
      const real = args.pluginData.builtin
        ? { path: args.path, errors: [] }
        : await b.resolve(args.path, { resolveDir: args.pluginData.resolveDir, kind: 'require-call', pluginData: { real: true } });
      if (real.errors.length) return { errors: real.errors };
      if (!args.pluginData.builtin) {
        if (lazyFiles.has(args.path) && lazyFiles.get(args.path) !== real.path) return { errors: [{ text: `two copies of ${args.path}: ${lazyFiles.get(args.path)} and ${real.path}` }] };
        lazyFiles.set(args.path, real.path);
      }
      // A package is required from its own file in dist/lazy/ (built below), not from the bundle:
      // without a code cache (a first run), code in the bundle is parsed even when it never runs.
      // The stub is in dist/commands.cjs: __dirname is dist/.
      const target = args.pluginData.builtin ? JSON.stringify(real.path) : `__dirname + ${JSON.stringify(`/lazy/${args.path}.cjs`)}`;
      return {
        loader: 'js',
        resolveDir: args.pluginData.resolveDir,
        contents: `let real; const load = () => (real ??= require(${target}));
module.exports = new Proxy(() => {}, {
  apply: (_t, self, args) => load().apply(self, args),
  get: (_t, key) => (key === '__esModule' ? undefined : load()[key]),
  has: (_t, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_t, key) => ({ ...Object.getOwnPropertyDescriptor(load(), key), configurable: true }),
});`,
      };
    });
  },
};

/**
 * oclif's Config.load asks `wsl-utils` whether this is WSL (for `platform`), and wsl-utils loads
 * node:child_process and PowerShell helpers at import (child_process alone brings net, dgram and
 * streams: several ms). The answer is wsl-utils' own re-export of `is-wsl`, taken from is-wsl
 * directly; the PowerShell path (asked only on Windows, for the shell's name) loads the real module.
 */
const wslUtilsLite = {
  name: 'wsl-utils-lite',
  setup(b) {
    b.onResolve({ filter: /^wsl-utils$/ }, (args) => {
      if (!/@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/.test(args.importer)) return undefined;
      return { path: 'wsl-utils', namespace: 'wsl-utils-lite', pluginData: { resolveDir: args.resolveDir } };
    });
    b.onLoad({ filter: /.*/, namespace: 'wsl-utils-lite' }, async (args) => {
      const real = await b.resolve('wsl-utils', { resolveDir: args.pluginData.resolveDir, kind: 'dynamic-import', pluginData: { real: true } });
      if (real.errors.length) return { errors: real.errors };
      // The real module is a lazy file (dist/lazy/wsl-utils.cjs, with its own copy of is-wsl).
      lazyFiles.set('wsl-utils', real.path);
      return {
        loader: 'js',
        resolveDir: dirname(real.path),
        contents: `export { default as isWsl } from 'is-wsl';
export const powerShellPath = async (...args) => require(__dirname + '/lazy/wsl-utils.cjs').powerShellPath(...args);`,
      };
    });
  },
};

/**
 * oclif's Config.load reads the user's theme file (`theme.json` in the config directory, usually
 * absent) with fs/promises: on a loaded machine the wait for the thread pool costs more than the
 * read. Read synchronously, with oclif's own rule (a file that is missing or not JSON is no theme).
 */
const syncThemeRead = {
  name: 'sync-theme-read',
  setup(b) {
    b.onLoad({ filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]config\.js$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const call = '(0, fs_1.safeReadJson)(userThemeFile)';
      if (!source.includes(call)) return { errors: [{ text: `${args.path} no longer reads the theme with ${call}: revisit sync-theme-read in scripts/build.mjs` }] };
      const readSync = "((path) => { try { return JSON.parse(require('node:fs').readFileSync(path, 'utf8')); } catch { return undefined; } })";
      return { loader: 'js', contents: source.replace(call, `${readSync}(userThemeFile)`) };
    });
  },
};

/** The autocomplete plugin's command file, which its exports map hides (see src/autocomplete-command.d.ts). */
const autocompleteCommand = {
  name: 'autocomplete-command',
  setup(b) {
    b.onResolve({ filter: /^@oclif\/plugin-autocomplete\/lib\// }, (args) => ({
      path: join(realpathSync(join(cli, 'node_modules', '@oclif', 'plugin-autocomplete')), args.path.slice('@oclif/plugin-autocomplete/'.length)),
    }));
  },
};

/**
 * `import('node:…')` in our sources (the transport asks for node:http or node:https only when a
 * request is made, so that a run against an http URL never loads tls) as a lazy `require`: the
 * bundle runs as a script (vm.Script, src/code-cache.ts), which has no loader for a dynamic import
 * (Node throws "A dynamic import callback was not specified"), and a required built-in is the
 * same module. esbuild evaluates the stand-in (a CommonJS module) when the import runs, not before.
 */
const builtinImports = {
  name: 'builtin-imports',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-import' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin-import' }, (args) => ({ loader: 'js', contents: `module.exports = require(${JSON.stringify(args.path)});` }));
  },
};

const plugins = [oclifSubpaths, autocompleteCommand, workspaceSources, startupStubs, wslUtilsLite, syncThemeRead, builtinImports];

// What every build that writes a shipped file shares: Node 20 CommonJS, minified, notices collected
// once (below), the metafile read by the checks that follow. CAPHONE_BUILD_READABLE=1 keeps the
// line breaks and names, for a CPU profile whose lines point at one function each (never shipped).
const readable = process.env.CAPHONE_BUILD_READABLE === '1';
const shipped = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'cjs',
  minifySyntax: !readable,
  minifyWhitespace: !readable,
  // Third-party notices go to one file (below) instead of comments scattered through the bundle.
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

const result = await build({
  ...shipped,
  absWorkingDir: cli,
  entryPoints: { commands: 'src/commands.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  // zod and our packages are ESM with "sideEffects": false: what is not imported (zod's locales,
  // the classic API) is dropped.
  treeShaking: true,
  plugins,
  // oclif reaches for these only to run TypeScript sources (auto-transpile), which bin/run.cjs
  // turns off: leave them out rather than bundle 9 MB of compiler.
  external: ['typescript', 'ts-node', 'tsx'],
});
// A dynamic import left in the bundle would throw when it runs (see builtin-imports). oclif's own
// `import(path)` of a plugin's ES module files stays: caphone's hooks and commands are CommonJS
// (package.json points them at dist/commands.cjs), so oclif requires them instead.
const dynamicImports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import'));
if (dynamicImports.length > 0) throw new Error(`dist/commands.cjs must not import() anything, but imports ${dynamicImports.map((i) => i.path).join(', ')}`);
// The bundle in ASCII, so that the loader can read it as a one-byte string without decoding UTF-8
// (src/code-cache.ts). esbuild already escapes strings, templates and identifiers (charset
// "ascii"), but not regular expression literals (ansis has a raw U+009B in one); a \uXXXX escape
// means the same there, with or without the u flag (astral characters as surrogate pairs).
const commandsFile = join(dist, 'commands.cjs');
const commandsSource = readFileSync(commandsFile, 'utf8');
const asciiSource = commandsSource.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (asciiSource !== commandsSource) writeFileSync(commandsFile, asciiSource);
const bundleHash = createHash('sha256').update(asciiSource).digest('hex').slice(0, 16);

// The launcher on its own, so that help reads one small file and a command one more before the
// bundle; it carries the bundle's hash for the code cache's file name.
const launchResult = await build({
  absWorkingDir: cli,
  ...shipped,
  entryPoints: { launch: 'src/launch.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  define: { __CAPHONE_BUNDLE_HASH__: JSON.stringify(bundleHash) },
});
const launchImports = Object.values(launchResult.metafile.outputs).flatMap((o) => o.imports.filter((i) => !i.external));
if (launchImports.length > 0) throw new Error(`dist/launch.cjs must import nothing of the bundle, but imports ${launchImports.map((i) => i.path).join(', ')}`);
Object.assign(result.metafile.inputs, launchResult.metafile.inputs);
Object.assign(result.metafile.outputs, launchResult.metafile.outputs);

// The lazy packages, each one CommonJS file required by its stub at its first use.
const lazyResults = await Promise.all(
  [...lazyFiles].map(([name, file]) =>
    build({
      absWorkingDir: cli,
      entryPoints: [file],
      ...shipped,
      outfile: join('dist', 'lazy', `${name}.cjs`),
      format: 'cjs',
    }),
  ),
);
for (const lazy of lazyResults) {
  Object.assign(result.metafile.inputs, lazy.metafile.inputs);
  Object.assign(result.metafile.outputs, lazy.metafile.outputs);
}

// The licences of everything bundled, once: MIT and ISC ask for their notice to travel with copies.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (!match) continue;
  const root = join(cli, match[1]);
  if (packages.has(root)) continue;
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(root).find((f) => /^(license|licence|copying)(\.|$)/i.test(f));
  packages.set(root, { name: pjson.name, version: pjson.version, license: pjson.license, text: licenseFile ? readFileSync(join(root, licenseFile), 'utf8').trim() : undefined });
}
const notices = [...packages.values()]
  .filter((p) => !p.name.startsWith('@cloudagent-phone/'))
  .sort((a, b) => a.name.localeCompare(b.name))
  .map((p) => `## ${p.name}@${p.version} (${p.license})\n\n${p.text ?? `Licensed under ${p.license}; no licence file in the package.`}\n`);
writeFileSync(join(dist, 'THIRD-PARTY-NOTICES.md'), `# Third-party code bundled in dist/\n\n${notices.join('\n')}`);

const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`caphone bundle: ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB, ${packages.size} packages inlined`);
if (process.argv.includes('--analyze')) console.log(relative(cli, dist), JSON.stringify(Object.fromEntries(Object.entries(result.metafile.outputs).map(([k, v]) => [k, v.bytes])), null, 1));
if (process.argv.includes('--inputs')) {
  const byPackage = new Map();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    const key = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? file.split('/').slice(0, 3).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytes);
  }
  console.log([...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 1024).toFixed(0).padStart(6)} KiB  ${k}`).join('\n'));
}
