// Teams consume tarballs, not our workspace links. `scripts/pack.mjs` (what `npm run pack` runs
// after building) packs every publishable package with `pnpm pack`, which rewrites workspace:^ to
// real versions; this installs them outside the workspace with plain npm and uses them the three
// ways the root README documents: the CLI installed globally from its tarball alone, the library
// through the README's own snippet, and (servers.test.ts) `npm run edge` / `npm run shim`.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const CANARY = 'CANARY-KEY-consumer-3d9f';
const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

let scratch: string;
let tarballs: string[];
let app: string; // a library user's project
let prefix: string; // a global npm prefix for the CLI
const tarball = (name: string) => tarballs.find((t) => basename(t).startsWith(`cloudagent-phone-${name}-`))!;

function npm(args: string[], cwd: string): void {
  execFileSync('npm', [...args, ...npmFlags], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function node(script: string): string {
  const file = join(app, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  return execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 60_000 });
}

/** The fenced block right after the README's marker comment: the snippet readers copy. */
function readmeSnippet(marker: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(`<!-- consumer-test: ${marker}`);
  if (at === -1) throw new Error(`README.md has no "consumer-test: ${marker}" marker`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`no js block after the ${marker} marker`);
  return block[1]!;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'caphone-consumer-'));
  tarballs = execFileSync(process.execPath, [join(root, 'scripts', 'pack.mjs'), '--out', join(scratch, 'packs')], { encoding: 'utf8' })
    .trim()
    .split('\n');
  app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', tarball('core'), tarball('transport'), tarball('simulator'), tarball('edge-client')], app);
  prefix = join(scratch, 'global');
  // The CLI alone, globally, offline: its tarball must carry everything it needs (it is bundled).
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', ...npmFlags, tarball('cli')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm run pack', () => {
  it('writes one tarball per publishable package, each with the LICENSE, no workspace: protocol and no sources', () => {
    expect(tarballs.map((t) => basename(t)).sort()).toEqual(['cli', 'core', 'edge-client', 'simulator', 'transport'].map((n) => expect.stringMatching(new RegExp(`^cloudagent-phone-${n}-\\d+\\.\\d+\\.\\d+\\.tgz$`))));
    for (const name of ['core', 'transport', 'simulator', 'edge-client']) {
      const dir = join(app, 'node_modules', '@cloudagent-phone', name);
      const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(JSON.stringify(installed.dependencies ?? {})).not.toContain('workspace:');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
      expect(existsSync(join(dir, 'src'))).toBe(false);
    }
  });

  it('types resolve for TypeScript consumers (exports map points at real .d.ts files)', () => {
    for (const name of ['core', 'transport', 'simulator', 'edge-client']) {
      const dir = join(app, 'node_modules', '@cloudagent-phone', name);
      const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      for (const [entry, target] of Object.entries<Record<string, string> | string>(installed.exports ?? {})) {
        if (typeof target === 'string') continue;
        expect(existsSync(join(dir, target.types!)), `${name} ${entry} types`).toBe(true);
        expect(existsSync(join(dir, target.default!)), `${name} ${entry} code`).toBe(true);
      }
    }
  });
});

describe('the CLI, installed globally from its tarball alone', () => {
  const caphone = () => join(prefix, 'bin', 'caphone');
  const env = () => ({ ...process.env, CAPHONE_CONFIG_DIR: join(scratch, 'cfg'), CAPHONE_CACHE_DIR: join(scratch, 'cache'), OCLIF_DISABLE_UPDATE_CHECK: '1' });

  it('has no dependencies to fetch and answers --version', () => {
    const installed = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', '@cloudagent-phone', 'cli', 'package.json'), 'utf8'));
    expect(installed.dependencies ?? {}).toEqual({});
    expect(readFileSync(join(prefix, 'lib', 'node_modules', '@cloudagent-phone', 'cli', 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(execFileSync(caphone(), ['--version'], { encoding: 'utf8', env: env() })).toMatch(/^@cloudagent-phone\/cli\/\d+\.\d+\.\d+ /);
  });

  it('runs its own sandbox and edits a number in it, with the key in no output', async () => {
    const sandbox = spawn(caphone(), ['sandbox', '--port', '0', '--api-key', CANARY, '--seed', '+919876543210:Sales', '--json'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const listening = await new Promise<{ result: { url: string; userName: string } }>((resolveEnvelope, reject) => {
        let out = '';
        sandbox.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          try {
            resolveEnvelope(JSON.parse(out));
          } catch {
            // not the whole document yet
          }
        });
        sandbox.on('exit', (code) => reject(new Error(`caphone sandbox exited ${code}`)));
      });
      const target = { ...env(), CLOUDAGENT_BASE_URL: listening.result.url, CLOUDAGENT_USERNAME: listening.result.userName, CLOUDAGENT_API_KEY: CANARY };
      const edit = await run(caphone(), ['phone', 'edit', '--number', '+919876543210', '--name', 'Sales', '--new-name', 'Support'], { env: target, encoding: 'utf8' });
      expect(edit.stdout).toContain('name → Support');
      // The edit wrote the code cache into the user's cache directory at exit (the install's own folder may be read-only): this run uses it.
      const get = await run(caphone(), ['phone', 'get', '--number', '+919876543210', '--json'], { env: { ...target, CAPHONE_DEBUG_CODE_CACHE: '1' }, encoding: 'utf8' });
      expect(JSON.parse(get.stdout).result.record).toEqual({ phoneNumber: '+919876543210', phoneName: 'Support' });
      expect(get.stderr).toMatch(/^caphone code cache: hit /m);
      expect(`${edit.stdout}${edit.stderr}${get.stdout}${get.stderr}`).not.toContain(CANARY);
    } finally {
      sandbox.kill('SIGTERM');
    }
  });
});

describe('the library', () => {
  it("the root README's snippet runs as written against the simulator and edits the number", async () => {
    const snippet = readmeSnippet('library-snippet');
    expect(snippet).not.toMatch(/!\.|!;|: \w+ =|\bas \w+/); // plain JavaScript, no TypeScript-only syntax
    writeFileSync(join(app, 'edit.mjs'), snippet);
    const sim = await startSimulator({ port: 0, userName: 'demo', apiKey: CANARY, records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }] });
    try {
      const { stdout } = await run(process.execPath, ['edit.mjs'], {
        cwd: app,
        encoding: 'utf8',
        env: { ...process.env, CLOUDAGENT_BASE_URL: sim.url, CLOUDAGENT_USERNAME: 'demo', CLOUDAGENT_API_KEY: CANARY },
      });
      expect(stdout.trim()).toBe('success record inserted successfully');
      expect(sim.control.records().find((r) => r.phoneNumber === '+919876543210')?.phoneName).toBe('Support');
    } finally {
      await sim.close();
    }
  });

  it('core: validates, encodes and classifies', () => {
    const out = node(`
      import { validateOperation, encodeV1, encodeV2, classify, redact } from '@cloudagent-phone/core';
      const v = validateOperation({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'Support' });
      if (!v.ok) throw new Error('invalid');
      const creds = { userName: 'acme', apiKey: '${CANARY}' };
      console.log(JSON.stringify({
        v1: redact(encodeV1(v.value, creds)).url,
        v2: JSON.parse(encodeV2(v.value, creds).body),
        kind: classify({ status: 200, body: '{"status":"success","message":"record inserted successfully"}' }, 'edit').kind,
      }));
    `);
    const r = JSON.parse(out);
    expect(r.kind).toBe('success');
    expect(r.v1).toContain('phoneNumber=%2B919876543210');
    expect(r.v1).not.toContain('CANARY');
    expect(r.v2).toMatchObject({ action: 'edit', phoneNumberNew: '+919876543210', phoneNameNew: 'Support' });
  });
});

describe("the transport's contract suites (@cloudagent-phone/transport/testing)", () => {
  it('need vitest, an optional peer: without it the testing entry says so, and the main entry loads as ever', () => {
    const out = node(`
      await import('@cloudagent-phone/transport');
      await import('@cloudagent-phone/transport/testing').then(() => console.log('loaded'), (error) => console.log(error.code, error.message));
    `);
    expect(out).toMatch(/^ERR_MODULE_NOT_FOUND .*'vitest'/);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', '@cloudagent-phone', 'transport', 'package.json'), 'utf8'));
    expect(installed.peerDependencies).toEqual({ vitest: expect.any(String) });
    expect(installed.peerDependenciesMeta).toEqual({ vitest: { optional: true } });
  });

  it("run from the tarball in a project's own vitest, against the package's transports, store and token manager", async () => {
    // A project that has vitest already: the workspace's own, linked in (the same version; no
    // second download of vitest and its bundler). The suites resolve it from the project, as a peer.
    const vitestDir = realpathSync(join(import.meta.dirname, '..', 'node_modules', 'vitest'));
    symlinkSync(vitestDir, join(app, 'node_modules', 'vitest'));
    writeFileSync(
      join(app, 'contracts.test.mjs'),
      `
      import { createFetchTransport, createMemoryTokenStore, createTokenManager } from '@cloudagent-phone/transport';
      import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
      import { describeTokenProviderContract, describeTokenStoreContract, describeTransportContract } from '@cloudagent-phone/transport/testing';
      import { startContractServer } from '@cloudagent-phone/transport/testing/node';
      import { createSimulator } from '@cloudagent-phone/simulator';

      describeTransportContract({ name: 'fetch', transport: () => createFetchTransport(), capabilities: { getWithBody: false }, server: startContractServer });
      describeTransportContract({ name: 'node-http', transport: () => createNodeHttpTransport(), capabilities: { getWithBody: true, releasesSignal: true }, server: startContractServer });
      describeTokenStoreContract({ name: 'memory', create: () => createMemoryTokenStore() });
      describeTokenProviderContract({
        name: 'token manager',
        create: () => {
          const sim = createSimulator({ userName: 'acme', apiKey: 'k-right', auth: 'token' });
          const transport = createFetchTransport({ fetch: (input, init) => sim.fetch(new Request(input, init)) });
          const manager = (apiKey) => createTokenManager({ userName: 'acme', apiKey, baseUrl: 'http://cloudagent.test', transport });
          return {
            provider: manager('k-right'),
            providerWithWrongKey: manager('k-wrong'),
            generations: () => sim.control.calls().filter((c) => c.action === 'token').length,
            currentToken: () => sim.state.tokens.current?.token,
          };
        },
      });
    `,
    );
    const report = join(app, 'contracts-report.json');
    await run(process.execPath, [join(vitestDir, 'vitest.mjs'), 'run', '--root', app, '--reporter=json', `--outputFile=${report}`], { cwd: app, encoding: 'utf8', timeout: 240_000 }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the suites failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const result = JSON.parse(readFileSync(report, 'utf8')) as { numTotalTests: number; numPassedTests: number; testResults: { assertionResults: { ancestorTitles: string[] }[] }[] };
    const suites = new Set(result.testResults.flatMap((file) => file.assertionResults.map((a) => a.ancestorTitles[0])));
    expect([...suites].sort()).toEqual(['TokenProvider contract: token manager', 'TokenStore contract: memory', 'transport contract: fetch', 'transport contract: node-http']);
    expect(result.numTotalTests).toBeGreaterThan(40);
    expect(result.numPassedTests).toBe(result.numTotalTests);
  });
});

describe('the edge client', () => {
  it('creates and looks up (by number and by name) through a running edge (its Node entry as a process), typed and with an Idempotency-Key', async () => {
    const sim = await startSimulator({ port: 0, userName: 'demo', apiKey: CANARY, records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }] });
    const token = 'consumer-team-token-1';
    const edge = spawn(process.execPath, [join(root, 'apps', 'edge', 'dist', 'main.js')], {
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        CLOUDAGENT_BASE_URL: sim.url,
        CLOUDAGENT_ACCOUNTS: JSON.stringify({ demo: { apiKey: CANARY } }),
        TEAMS: JSON.stringify([{ name: 'consumers', tokenSha256: createHash('sha256').update(token).digest('hex'), userNames: ['demo'] }]),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        edge.once('exit', (code) => reject(new Error(`the edge exited with ${code}`)));
        createInterface({ input: edge.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening') resolveUrl(entry.url!);
        });
      });
      // Run asynchronously: the simulator lives in this process and must keep answering the edge.
      writeFileSync(join(app, 'edge-client.mjs'), `
        import { createEdgeClient } from '@cloudagent-phone/edge-client';
        const client = createEdgeClient({ baseUrl: ${JSON.stringify(url)}, token: ${JSON.stringify(token)} });
        const created = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '+917001112223', phoneName: 'Desk', skill: 'General' });
        const found = await client.getPhoneNumber('+917001112223', { userName: 'demo' });
        const named = await client.getPhoneNumberByName('desk', { userName: 'demo' });
        const refused = await client.createPhoneNumber({ userName: 'demo', phoneNumber: '+917001112223', phoneName: 'Other-desk' });
        console.log(JSON.stringify({ created, found, named, refused }));
      `);
      const { stdout: out } = await run(process.execPath, ['edge-client.mjs'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
      expect(out).not.toContain(CANARY);
      const r = JSON.parse(out);
      expect(r.created).toMatchObject({ ok: true, status: 200, data: { outcome: 'success' } });
      expect(r.created.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.found).toMatchObject({ ok: true, data: { phoneNumber: '+917001112223', phoneName: 'Desk' } });
      expect(r.named).toMatchObject({ ok: true, status: 200, data: { phoneNumber: '+917001112223', phoneName: 'Desk' } });
      expect(r.refused).toMatchObject({ ok: false, status: 409, problem: { type: 'urn:cloudagent-phone:problem:conflict' } });
    } finally {
      edge.kill();
      await sim.close();
    }
  });
});
