// Each publishable package must be consumable as published: exports that point at files that
// exist, types that resolve under node16 and bundler resolution, no lint from publint.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const bin = (name: string) => join(import.meta.dirname, '..', 'node_modules', '.bin', name);
const publishable = ['packages/core', 'packages/transport', 'packages/simulator', 'packages/edge-client', 'apps/cli'].filter(
  (dir) => !JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).private,
);

function run(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}\n${err.stderr}` };
  }
}

describe('the repository', () => {
  it('is MIT licensed in package.json and in a LICENSE file', () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).license).toBe('MIT');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });
});

describe.each(publishable)('%s', (dir) => {
  const cwd = join(root, dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));

  it('passes publint --strict', () => {
    const r = run(bin('publint'), ['--strict'], cwd);
    expect(r.out, r.out).not.toMatch(/\b(error|warning)s?\b/i);
    expect(r.code, r.out).toBe(0);
  });


  it('declares a README, a license and files', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'LICENSE']));
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(cwd, 'README.md'), 'utf8').length).toBeGreaterThan(200);
  });

  it('ships the MIT LICENSE the root holds, and publishes as a public scoped package', () => {
    expect(readFileSync(join(cwd, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    expect(pkg.publishConfig).toEqual({ access: 'public' });
  });
});

// Libraries only: the CLI exports nothing but its package.json.
const libraries = publishable.filter((dir) => {
  const exports = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).exports ?? {};
  return Object.keys(exports).some((k) => k !== './package.json');
});

describe.each(libraries)('%s types', (dir) => {
  it('resolve under node16 and bundler resolution (arethetypeswrong, ESM-only profile)', () => {
    const r = run(bin('attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'ascii'], join(root, dir));
    expect(r.code, r.out).toBe(0);
  });
});
