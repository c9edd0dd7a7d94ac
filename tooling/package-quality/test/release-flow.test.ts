// The release flow: independent versions, workspace:^ between our packages, and `changeset version`
// producing bumps and changelogs from the pending changesets. Run on a scratch copy of the
// workspace's manifests so the real tree is never touched.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const manifests = ['packages', 'apps', 'tooling'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(group, name, 'package.json'))
    .filter((file) => existsSync(join(root, file))),
);
const read = (base: string, file: string) => JSON.parse(readFileSync(join(base, file), 'utf8'));
const ours = new Set(manifests.map((file) => read(root, file).name as string));

describe('workspace conventions', () => {
  it('every internal dependency uses workspace:^', () => {
    for (const file of manifests) {
      const pkg = read(root, file);
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
        for (const [name, range] of Object.entries<string>(pkg[field] ?? {})) {
          if (ours.has(name)) expect(range, `${file} ${field} ${name}`).toBe('workspace:^');
        }
      }
    }
  });

  it('changesets version packages independently', () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
  });
});

describe('changeset version', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'caphone-release-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('bumps every package a pending changeset names and writes its changelog', () => {
    const changesets = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(changesets.length).toBeGreaterThan(0);
    for (const file of ['package.json', 'pnpm-workspace.yaml', ...manifests]) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(root, file), join(scratch, file));
    }
    cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', 'commit', '-qm', 'scratch');

    const named = new Map<string, string>();
    for (const file of changesets) {
      const text = readFileSync(join(root, '.changeset', file), 'utf8');
      const front = text.split('---')[1] ?? '';
      for (const m of front.matchAll(/"([^"]+)":\s*(major|minor|patch)/g)) named.set(m[1]!, m[2]!);
    }
    execFileSync(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: scratch, stdio: 'pipe' });

    for (const file of manifests) {
      const before = read(root, file);
      const after = read(scratch, file);
      if (!named.has(before.name)) continue;
      expect(after.version, `${before.name} was bumped`).not.toBe(before.version);
      const changelog = readFileSync(join(scratch, dirname(file), 'CHANGELOG.md'), 'utf8');
      expect(changelog).toContain(`## ${after.version}`);
      // internal ranges stay workspace:^ (pnpm pack turns them into real versions)
      for (const [name, range] of Object.entries<string>(after.dependencies ?? {})) if (ours.has(name)) expect(range).toBe('workspace:^');
    }
    expect(readdirSync(join(scratch, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
  });
});
