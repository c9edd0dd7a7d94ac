#!/usr/bin/env node
// Writes an installable tarball of every publishable package (private: false) into one folder,
// with `pnpm pack`, which turns workspace:^ into real version ranges as a publish would. The
// packages must be built first (`npm run pack` builds them through scripts/bootstrap.mjs).
//
//   node scripts/pack.mjs [--out DIR]      default DIR: packs/ at the repository root
//
// Prints one tarball path a line on stdout, so a script can read them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The workspace's publishable packages, in dependency order (pack order does not matter to npm). */
export function publishablePackages() {
  return ['packages', 'apps']
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private);
}

/** Packs every publishable package into `out` (emptied of older tarballs first); returns the paths. */
export function packAll(out, { pnpm = 'pnpm' } = {}) {
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(out)) if (file.endsWith('.tgz')) rmSync(join(out, file));
  return publishablePackages().map(({ dir, pkg }) => {
    execFileSync(pnpm, ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const tarball = join(out, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`);
    if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}`);
    return tarball;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = resolve(i === -1 ? join(root, 'packs') : process.argv[i + 1]);
  for (const tarball of packAll(out)) console.log(tarball);
}
