// The layering rule, checked by dependency-cruiser over the real import graph (type-only imports
// included), so it holds whatever package.json says:
//
//   core       imports no package of ours and no I/O (no node:*, no cloudflare:*)
//   transport  imports only core
//   packages   (simulator, server plumbing, a client for the edge, ...) import only packages below them
//   apps       import packages, never another app; nothing imports an app, not even for types
//   src        production source never imports a devDependency of its own package (one that is
//              also a peerDependency is the user's to install: transport's testing entry and vitest)
//
// The rules are built from the workspace itself (pnpm-workspace.yaml's folders and each
// package.json), so a new package is covered the day it lands. Our own packages are resolved to
// their TypeScript sources (`./x` in a package's exports is `src/x.ts`, `.` is `src/index.ts`, the
// convention apps/cli's bundler relies on too), so the answer does not depend on whether dist/ was
// built first; a specifier that still does not resolve is matched by its name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';

/**
 * Rank of each package in the stack; a package may import only packages of a lower rank. Packages
 * not named here sit above transport, beside each other (rank 2): importing a sibling means
 * deciding it is lower, here, on purpose.
 */
export const PACKAGE_RANKS = { core: 0, transport: 1 };
const SIBLING_RANK = 2;

/**
 * Apps whose published artefact is one bundle (apps/cli, built by esbuild): every import is
 * inlined at build time, so its dependencies are devDependencies by design and the
 * devDependency rule does not apply to them.
 */
export const BUNDLED_APPS = ['cli'];

const GROUPS = { packages: 'package', apps: 'app' };
/**
 * Files that are not production source: tests, benchmarks, build scripts, and development entry
 * points named dev-*.ts (e.g. apps/shim/src/dev-worker.ts, which `wrangler dev` runs with the
 * simulator inside; no build ships it).
 */
const TEST_SOURCE = '(\\.test\\.ts$|/(test|bench|scripts)/|/dev-[^/]*\\.ts$)';

/** The folders of a package whose imports are checked (not dist/, node_modules/, .wrangler/). */
const SOURCE_FOLDERS = ['src', 'test', 'bench', 'scripts', 'bin'];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every workspace package under packages/ and apps/ of `root`. */
export function workspacePackages(root) {
  const found = [];
  for (const [group, kind] of Object.entries(GROUPS)) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const folder of readdirSync(groupDir).sort()) {
      const manifestPath = join(groupDir, folder, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      found.push({
        name: manifest.name,
        folder,
        kind,
        dir: `${group}/${folder}`,
        exports: manifest.exports && typeof manifest.exports === 'object' ? Object.keys(manifest.exports) : ['.'],
        devDependencies: Object.keys(manifest.devDependencies ?? {}),
        dependencies: Object.keys(manifest.dependencies ?? {}),
        peerDependencies: Object.keys(manifest.peerDependencies ?? {}),
      });
    }
  }
  return found;
}

/** The resolved path (or, unresolved, the specifier) of anything inside `pkg`. */
const inside = (pkg) => `^(${escapeRegExp(pkg.dir)}/|${escapeRegExp(pkg.name)}(/|$))`;
const anyOf = (pkgs) => (pkgs.length ? `(${pkgs.map(inside).join('|')})` : '^$.');
const rankOf = (pkg) => PACKAGE_RANKS[pkg.folder] ?? SIBLING_RANK;

/** dependency-cruiser `forbidden` rules for the workspace `pkgs`. */
export function layerRules(pkgs) {
  const packages = pkgs.filter((p) => p.kind === 'package');
  const apps = pkgs.filter((p) => p.kind === 'app');
  const rules = [];
  const core = packages.find((p) => p.folder === 'core');
  if (core) {
    rules.push({
      name: 'core-imports-no-io',
      comment: 'core is pure: it runs in Node, Workers and browsers, so no node:* and no cloudflare:* (docs/architecture.md)',
      severity: 'error',
      from: { path: `^${escapeRegExp(core.dir)}/src/`, pathNot: TEST_SOURCE },
      to: { dependencyTypes: ['core'] },
    });
    rules.push({
      name: 'core-imports-no-io',
      comment: 'core is pure: no cloudflare:* either',
      severity: 'error',
      from: { path: `^${escapeRegExp(core.dir)}/src/`, pathNot: TEST_SOURCE },
      to: { path: '^cloudflare:' },
    });
  }
  for (const pkg of packages) {
    const allowed = packages.filter((other) => rankOf(other) < rankOf(pkg));
    const forbidden = packages.filter((other) => other !== pkg && !allowed.includes(other));
    if (forbidden.length) {
      rules.push({
        name: `${pkg.folder}-imports-only-lower-packages`,
        comment: `${pkg.name} may import only ${allowed.map((p) => p.name).join(', ') || 'no package of ours'} (its tests may use any package)`,
        severity: 'error',
        from: { path: `^${escapeRegExp(pkg.dir)}/`, pathNot: TEST_SOURCE },
        to: { path: anyOf(forbidden) },
      });
    }
    if (apps.length) {
      rules.push({
        name: 'no-package-imports-an-app',
        comment: `${pkg.name} must not import an app, not even for types, not even in a test`,
        severity: 'error',
        from: { path: `^${escapeRegExp(pkg.dir)}/` },
        to: { path: anyOf(apps) },
      });
    }
  }
  for (const app of apps) {
    const others = apps.filter((other) => other !== app);
    if (!others.length) continue;
    rules.push({
      name: 'no-app-imports-an-app',
      comment: `${app.name} must not import another app; logic two apps need lives in a package`,
      severity: 'error',
      from: { path: `^${escapeRegExp(app.dir)}/` },
      to: { path: anyOf(others) },
    });
  }
  for (const pkg of pkgs) {
    if (pkg.kind === 'app' && BUNDLED_APPS.includes(pkg.folder)) continue;
    const devOnly = pkg.devDependencies.filter((name) => !pkg.dependencies.includes(name) && !pkg.peerDependencies.includes(name));
    const ours = pkgs.filter((other) => devOnly.includes(other.name));
    const production = { path: `^${escapeRegExp(pkg.dir)}/src/`, pathNot: TEST_SOURCE };
    rules.push({
      name: 'production-source-imports-no-dev-dependency',
      comment: `${pkg.name}: production source imports only its dependencies; a devDependency is absent where it is installed`,
      severity: 'error',
      from: production,
      // A peerDependency the package also installs for its own tests is still the user's to
      // provide where the package is installed (an optional peer: only for the entry that uses it).
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm-peer'] },
    });
    if (ours.length) {
      rules.push({
        name: 'production-source-imports-no-dev-dependency',
        comment: `${pkg.name}: ${ours.map((p) => p.name).join(', ')} is only a devDependency`,
        severity: 'error',
        from: production,
        to: { path: anyOf(ours) },
      });
    }
  }
  return rules;
}

/** enhanced-resolve aliases: each of our packages' exports to its TypeScript source. */
function sourceAliases(root, pkgs) {
  const alias = {};
  for (const pkg of pkgs) {
    for (const subpath of pkg.exports) {
      if (subpath === './package.json' || subpath.includes('*')) continue;
      const file = join(root, pkg.dir, 'src', `${subpath === '.' ? 'index' : subpath.slice(2)}.ts`);
      if (existsSync(file)) alias[`${pkg.name}${subpath === '.' ? '' : subpath.slice(1)}$`] = file;
    }
  }
  return alias;
}

/**
 * Cruises the production and test sources of every package and app under `root` against the
 * layering rules. Returns the violations (empty when the layers hold).
 */
export async function checkLayers(root) {
  const absoluteRoot = resolve(root);
  const pkgs = workspacePackages(absoluteRoot);
  const previous = process.cwd();
  // dependency-cruiser reports paths relative to the working directory; the rules are written
  // relative to the workspace root.
  process.chdir(absoluteRoot);
  try {
    const targets = pkgs.flatMap((p) => SOURCE_FOLDERS.map((folder) => `${p.dir}/${folder}`)).filter((dir) => existsSync(join(absoluteRoot, dir)));
    const { output } = await cruise(
      targets,
      {
        ruleSet: { forbidden: layerRules(pkgs) },
        validate: true,
        tsPreCompilationDeps: true,
        // Each file's dependency types from the package.json files between it and the root, so a
        // package's own devDependencies are known as such.
        combinedDependencies: true,
        // Built output and installed packages are leaves: an import of them is checked, their own
        // imports are not ours to judge. (Not `exclude`: that would hide the import itself.)
        doNotFollow: { path: ['(^|/)node_modules/', '(^|/)dist/'] },
        exclude: { path: 'worker-configuration\\.d\\.ts$' },
        outputType: 'json',
      },
      {
        alias: sourceAliases(absoluteRoot, pkgs),
        bustTheCache: true,
        conditionNames: ['import', 'types', 'default'],
        extensions: ['.ts', '.d.ts', '.mts', '.js', '.mjs', '.cjs', '.json'],
      },
    );
    const result = typeof output === 'string' ? JSON.parse(output) : output;
    return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  } finally {
    process.chdir(previous);
  }
}

/** `node layers.mjs [root]`: prints each violation and exits 1 if there is one. */
export async function main(root = join(import.meta.dirname, '..', '..', '..')) {
  const violations = await checkLayers(root);
  for (const v of violations) console.error(`${v.rule}: ${v.from} -> ${v.to}`);
  if (violations.length) {
    console.error(`${violations.length} import(s) break the layering (tooling/repo-lint/src/layers.mjs says why each rule exists)`);
    process.exit(1);
  }
  console.log(`layers hold: ${relative(process.cwd(), resolve(root)) || '.'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main(process.argv[2]);
