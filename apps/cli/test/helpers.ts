import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type RunningSimulator, type StartOptions } from '@cloudagent-phone/simulator/node';

export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(CLI_ROOT, 'bin', 'run.cjs');

/** A key that must never appear in any output; distinctive so a partial leak is found too. */
export const CANARY = 'CANARY-KEY-7f3a9c1e55b2';
export const USER = 'canary_user';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A scratch directory per test file for oclif's config and cache dirs, journals and reports. */
export function scratchDir(prefix = 'caphone-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The environment a test run gets: nothing of the outer CLOUDAGENT_* / CAPHONE_* / DEBUG, and
 * oclif's directories inside the scratch directory.
 */
export function cleanEnv(scratch: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(CLOUDAGENT_|CAPHONE_|DEBUG$|FORCE_COLOR$|NODE_ENV$)/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    OCLIF_DISABLE_UPDATE_CHECK: '1',
    CAPHONE_CONFIG_DIR: join(scratch, 'config'),
    CAPHONE_CACHE_DIR: join(scratch, 'cache'),
    CAPHONE_DATA_DIR: join(scratch, 'data'),
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function simulatorEnv(sim: RunningSimulator, key = CANARY, user = USER): Record<string, string> {
  return { CLOUDAGENT_BASE_URL: sim.url, CLOUDAGENT_USERNAME: user, CLOUDAGENT_API_KEY: key };
}

/**
 * Runs the built CLI as a child process (asynchronously: the simulator lives in this process and
 * needs the event loop while the child talks to it).
 */
export function caphone(args: string[], options: { env: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: options.env, cwd: options.cwd ?? CLI_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs the built CLI (synchronously) and reports what it loaded: the files in Node's require
 * cache at exit (the CLI is CommonJS; src/code-cache.ts puts the bundle there too) and Node's own
 * modules (process.moduleLoadList). A preload written to `scratch` records both.
 */
export function tracedRun(scratch: string, args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string; files: string[]; builtins: string[] } {
  const preload = join(scratch, 'trace-loads.cjs');
  writeFileSync(
    preload,
    "process.on('exit', () => { process.stderr.write(Object.keys(require.cache).map((f) => `LOADED ${f}\\n`).join('') + process.moduleLoadList.map((m) => `BUILTIN ${m}\\n`).join('')); });\n",
  );
  const run = spawnSync(process.execPath, ['-r', preload, BIN, ...args], { env, encoding: 'utf8' });
  const lines = run.stderr.split('\n');
  const tagged = (tag: string) => lines.filter((line) => line.startsWith(tag)).map((line) => line.slice(tag.length));
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: lines.filter((line) => !/^(LOADED|BUILTIN) /.test(line)).join('\n'),
    files: tagged('LOADED ').filter((file) => file !== preload),
    builtins: tagged('BUILTIN '),
  };
}

export async function withSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, userName: USER, apiKey: CANARY, ...options });
}

/** Parses stdout as exactly one JSON document (throws if there is anything else on stdout). */
export function envelope(run: Run): {
  outcome: string;
  message: string;
  result: any;
  warnings: string[];
  request: { method: string; url: string; headers: Record<string, string>; body?: string } | null;
} {
  return JSON.parse(run.stdout);
}

export const SEED = [
  { phoneNumber: '+919876543210', phoneName: 'Sales' },
  { phoneNumber: '+919800000001', phoneName: 'Support' },
];
