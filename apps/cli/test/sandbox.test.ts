import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, CLI_ROOT, caphone, cleanEnv, scratchDir } from './helpers.js';

const scratch = scratchDir();
const started: ChildProcess[] = [];
// A failed assertion must not leave a sandbox running after the tests.
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => scratch.cleanup());

/** Starts `caphone sandbox`, waits for its first stdout document or lines, returns a stopper. */
function startSandbox(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', ...args], { env: cleanEnv(scratch.path), cwd: CLI_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const ready = (test: (out: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        if (test(stdout)) {
          clearInterval(timer);
          resolve(stdout);
        }
      }, 20);
      void closed.then(() => {
        clearInterval(timer);
        reject(new Error(`sandbox exited early: ${stderr}`));
      });
    });
  return { child, ready, closed, output: () => ({ stdout, stderr }) };
}

describe('caphone sandbox', () => {
  it('prints ready-to-paste variables, serves caphone, and stops cleanly on SIGINT', async () => {
    const sandbox = startSandbox(['--user', 'sbx_user', '--api-key', 'local-test-key', '--seed', '+919876543210:Sales', '--skills', 'General,Sales', '--limit', '3']);
    const out = await sandbox.ready((s) => s.includes('CLOUDAGENT_API_KEY='));
    const vars = Object.fromEntries([...out.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(vars).toMatchObject({ CLOUDAGENT_USERNAME: 'sbx_user', CLOUDAGENT_API_KEY: 'local-test-key' });
    expect(vars.CLOUDAGENT_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.output().stderr).toContain(`listening on ${vars.CLOUDAGENT_BASE_URL}`);

    const env = cleanEnv(scratch.path, vars);
    const got = await caphone(['phone', 'get', '--number', '+919876543210'], { env });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toContain('phoneName    Sales');
    const partial = await caphone(['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--assign-skill', 'QA_Skill'], { env });
    expect(partial.code).toBe(6); // QA_Skill is not in this sandbox's --skills catalogue
    await caphone(['phone', 'create', '--number', '1000001', '--name', 'Two'], { env });
    await caphone(['phone', 'create', '--number', '1000002', '--name', 'Three'], { env });
    const overLimit = await caphone(['phone', 'create', '--number', '1000003', '--name', 'Four'], { env });
    expect(overLimit.code).toBe(5); // --limit 3

    sandbox.child.kill('SIGINT');
    expect(await sandbox.closed).toEqual({ code: 0, signal: null });
    expect(sandbox.output().stderr).toContain('sandbox stopped (SIGINT)');
  });

  it('under --json prints one envelope when ready, keeps state in --state across restarts, and stops on SIGTERM', async () => {
    const state = join(scratch.path, 'sandbox-state.json');
    const first = startSandbox(['--json', '--state', state, '--auth', 'token']);
    const doc = JSON.parse(await first.ready((s) => s.trim().endsWith('}')));
    expect(doc).toMatchObject({ outcome: 'success', result: { auth: 'token', userName: 'demo' } });
    expect(doc.result.testKey).toMatch(/^sandbox-[0-9a-f]{18}$/);
    const vars = (d: typeof doc) => Object.fromEntries(d.result.exports.map((line: string) => line.split(/=(.*)/s).slice(0, 2)));
    expect(vars(doc)).toEqual({ CLOUDAGENT_BASE_URL: doc.result.url, CLOUDAGENT_USERNAME: 'demo', CLOUDAGENT_API_KEY: doc.result.testKey, CLOUDAGENT_AUTH: 'token' });
    const env = cleanEnv(scratch.path, vars(doc));
    const created = await caphone(['phone', 'create', '--number', '+14155550100', '--name', 'Kept'], { env });
    expect(created.code, created.stderr).toBe(0);
    first.child.kill('SIGTERM');
    expect((await first.closed).code).toBe(0);
    expect(first.output().stdout.trim()).toBe(JSON.stringify(doc, null, 2)); // nothing else on stdout
    expect(existsSync(state)).toBe(true);
    expect(readFileSync(state, 'utf8')).toContain('+14155550100');

    const second = startSandbox(['--json', '--state', state, '--auth', 'token', '--api-key', doc.result.testKey]);
    const again = JSON.parse(await second.ready((s) => s.trim().endsWith('}')));
    const got = await caphone(['phone', 'get', '--number', '+14155550100'], { env: cleanEnv(scratch.path, vars(again)) });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toContain('Kept');
    second.child.kill('SIGTERM');
    expect((await second.closed).code).toBe(0);
  });

  it('rejects a bad seed with exit 2 naming the rule', async () => {
    const run = await caphone(['sandbox', '--port', '0', '--seed', '12:x'], { env: cleanEnv(scratch.path) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--seed "12:x"/);
  });
});
