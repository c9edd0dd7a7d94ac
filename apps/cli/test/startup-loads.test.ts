import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CANARY, CLI_ROOT, USER, cleanEnv, scratchDir, tracedRun } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

// A dry run builds the client and the request and sends nothing, so nothing needs to listen.
const target = { CLOUDAGENT_BASE_URL: 'http://127.0.0.1:9', CLOUDAGENT_USERNAME: USER, CLOUDAGENT_API_KEY: CANARY };
const DRY_EDIT = ['phone', 'edit', '-n', '+919876543210', '-N', 'Sales', '--new-name', 'Support', '--dry-run'];
const dist = join(CLI_ROOT, 'dist');

describe('what a real command loads', () => {
  it('a dry-run phone edit: the launcher and the bundle, none of the lazy packages', () => {
    const run = tracedRun(scratch.path, DRY_EDIT, cleanEnv(scratch.path, target));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('dry run: nothing was sent');
    // Three files: bin/run.cjs, dist/launch.cjs and dist/commands.cjs (everything a command runs).
    // oclif's help-and-error-only packages (scripts/build.mjs LAZY_PACKAGES, dist/lazy/) stay unread,
    // and nothing comes from node_modules (the tarball installs alone). A ceiling: never raise it silently.
    expect(run.files.sort()).toEqual([join(CLI_ROOT, 'bin', 'run.cjs'), join(dist, 'commands.cjs'), join(dist, 'launch.cjs')]);
    // No ES module either: Node's ESM loader would cost its own modules (about 10 ms).
    expect(run.builtins.filter((name) => /esm\/(module_job|translators)/.test(name))).toEqual([]);
  });

  it('a dry-run phone edit loads neither undici (fetch) nor tls: node:http for a http target, nothing else', () => {
    const run = tracedRun(scratch.path, DRY_EDIT, cleanEnv(scratch.path, target));
    expect(run.status).toBe(0);
    expect(run.builtins).toContain('NativeModule http'); // the preload saw Node's modules
    expect(run.builtins.filter((name) => /undici|tls|https/.test(name))).toEqual([]);
  });

  it('a dry-run phone edit evaluates none of the bulk package, the edge client, the simulator or shell completion', () => {
    // The bundle holds them (scripts/build.mjs), each module wrapped in an init function named after
    // its source file: V8's coverage counts how often each ran.
    const coverage = join(scratch.path, 'coverage');
    mkdirSync(coverage, { recursive: true });
    const run = tracedRun(scratch.path, DRY_EDIT, cleanEnv(scratch.path, { ...target, NODE_V8_COVERAGE: coverage }));
    expect(run.status, run.stderr).toBe(0);
    const bundleUrl = pathToFileURL(join(dist, 'commands.cjs')).href;
    const inits = new Map<string, number>();
    for (const file of readdirSync(coverage)) {
      for (const script of JSON.parse(readFileSync(join(coverage, file), 'utf8')).result as { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[]) {
        if (script.url !== bundleUrl) continue;
        for (const fn of script.functions) if (/\.(ts|js|mjs)$/.test(fn.functionName)) inits.set(fn.functionName, fn.ranges[0]!.count);
      }
    }
    const ran = (pattern: RegExp) => [...inits].filter(([name, count]) => pattern.test(name) && count > 0).map(([name]) => name);
    const lazy = /packages\/(bulk|edge-client|simulator)\/|^src\/(bulk|jobs)\/|src\/edge-phone-client|plugin-autocomplete|csv-parse|hono/;
    expect([...inits.keys()].filter((name) => lazy.test(name)).length).toBeGreaterThan(10); // coverage saw the lazy modules
    expect(ran(lazy)).toEqual([]);
    expect(ran(/packages\/core\/src\/schemas\.ts$/)).toHaveLength(1); // and counts what did run
  });
});
