import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, CANARY, CLI_ROOT, USER, cleanEnv, scratchDir } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());

/**
 * The files a run of the built CLI imports, reported by an ESM load hook (Node runs it beside the
 * main thread), and Node's own modules it loaded (process.moduleLoadList at exit).
 */
function loadedBy(args: string[]): { status: number | null; stdout: string; files: string[]; builtins: string[] } {
  const hooks = join(scratch.path, 'log-loads.mjs');
  writeFileSync(hooks, "export async function load(url, context, next) { process.stderr.write(`LOAD ${url}\\n`); return next(url, context); }\n");
  const register = join(scratch.path, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  // A dry run builds the client and the request and sends nothing, so nothing needs to listen.
  const target = { CLOUDAGENT_BASE_URL: 'http://127.0.0.1:9', CLOUDAGENT_USERNAME: USER, CLOUDAGENT_API_KEY: CANARY };
  const builtins = join(scratch.path, 'log-builtins.cjs');
  writeFileSync(builtins, "process.on('exit', () => { process.stderr.write(process.moduleLoadList.map((m) => `BUILTIN ${m}\\n`).join('')); });\n");
  const run = spawnSync(process.execPath, ['-r', builtins, '--import', pathToFileURL(register).href, BIN, ...args], { env: cleanEnv(scratch.path, target), encoding: 'utf8' });
  const files = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('LOAD file:'))
    .map((line) => line.slice('LOAD '.length));
  const loadedBuiltins = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('BUILTIN '))
    .map((line) => line.slice('BUILTIN '.length));
  return { status: run.status, stdout: run.stdout, files, builtins: loadedBuiltins };
}

describe('what a real command loads', () => {
  it('a dry-run phone edit: only the bundle, and none of the lazy packages, the bulk package or the edge client', () => {
    const run = loadedBy(['phone', 'edit', '-n', '+919876543210', '-N', 'Sales', '--new-name', 'Support', '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('dry run: nothing was sent');
    const dist = pathToFileURL(join(CLI_ROOT, 'dist')).href;
    expect(run.files.some((url) => url.endsWith('/dist/commands.js'))).toBe(true); // the hook saw the loads
    expect(run.files.filter((url) => !url.startsWith(`${dist}/`) && !url.endsWith('/bin/run.js'))).toEqual([]);
    // oclif's help-and-error-only packages (scripts/build.mjs LAZY_PACKAGES) stay unread.
    expect(run.files.filter((url) => url.startsWith(`${dist}/lazy/`))).toEqual([]);
    // The bulk package's journal and the edge client are for bulk runs and --edge-url only.
    const texts = run.files.filter((url) => url.startsWith(`${dist}/`)).map((url) => readFileSync(fileURLToPath(url), 'utf8'));
    expect(texts.some((text) => text.includes('InOrderWriter=class'))).toBe(false);
    expect(texts.some((text) => text.includes('function outcomeFromEdge'))).toBe(false);
    // Every file is about 1 ms of Node 20's ESM loader: bin/run.js and 5 from dist/ (scripts/build.mjs
    // keeps shared modules in commands.js). A ceiling: lower it as files go, never raise it silently.
    expect(run.files.filter((url) => url.startsWith(`${dist}/`)).length).toBeLessThanOrEqual(5);
  });

  it('a dry-run phone edit loads neither undici (fetch), tls nor node:http: node:net for a http target, nothing else', () => {
    const run = loadedBy(['phone', 'edit', '-n', '+919876543210', '-N', 'Sales', '--new-name', 'Support', '--dry-run']);
    expect(run.status).toBe(0);
    expect(run.builtins).toContain('NativeModule net'); // the hook saw Node's modules
    // The keep-alive transport speaks HTTP/1.1 itself: none of node:http's client, agent or parser.
    expect(run.builtins.filter((name) => /undici|tls|https|NativeModule _?http(_|$)|HTTPParser|http_parser/.test(name))).toEqual([]);
  });
});
