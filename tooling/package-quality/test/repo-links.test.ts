// A fresh clone is all a reader has: every relative link and path in the docs must resolve inside
// the repository (the root README once sent readers to ../shared/reference/, which only existed on
// the machines the project was started on).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const SKIP = new Set(['node_modules', '.git', '.turbo', '.tools', 'dist', '.wrangler', 'packs']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const files = markdownFiles(root);

describe('documentation stays inside the repository', () => {
  it('finds the docs it checks', () => {
    expect(files.map((f) => relative(root, f))).toEqual(expect.arrayContaining(['README.md', 'apps/cli/README.md', 'docs/toolchain.md']));
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s: relative links resolve to files in the repository', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/\]\((?!https?:|mailto:|#)([^)\s]+)\)/g)].map((m) => m[1]!.split('#')[0]!).filter(Boolean);
    // `../something` written as a path in backticks is a pointer too.
    targets.push(...[...text.matchAll(/`(\.\.\/[^`\s]+)`/g)].map((m) => m[1]!));
    for (const target of targets) {
      const absolute = resolve(dirname(file), target);
      expect(relative(root, absolute).startsWith('..'), `${target} leaves the repository`).toBe(false);
      expect(existsSync(absolute), `${target} does not exist`).toBe(true);
    }
    expect(text).not.toMatch(/\.\.\/shared\/reference/);
  });

  it.each(['README.md', 'apps/cli/README.md', 'apps/edge/README.md', 'apps/shim/README.md'])('%s: shell blocks need no pnpm on PATH (a fresh clone has only Node and npm)', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const commands = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
    expect(commands.filter((line) => /^\s*(\S+=\S+\s+)*pnpm\b/.test(line))).toEqual([]);
  });

  // The app READMEs say their package scripts run with npm (`cd apps/edge && npm run dev`): a script
  // that calls pnpm inside fails there with "pnpm: not found".
  it.each(['apps/cli', 'apps/edge', 'apps/shim', 'packages/server'])('%s: package scripts need no pnpm on PATH', (dir) => {
    const scripts = (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    expect(Object.entries(scripts).filter(([, command]) => /\bpnpm\b/.test(command))).toEqual([]);
  });
});
