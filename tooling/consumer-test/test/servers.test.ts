// The operators' way in (root README): `npm run edge` and `npm run shim` from the repository root,
// with nothing but Node and npm assumed, start each server on Node with the simulator behind it
// and print a URL, a credential and a curl. Each is started exactly that way and called once with
// what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
let running: ChildProcess | undefined;

afterEach(() => {
  // npm → bootstrap → serve.mjs → the server: signal the whole group, as Ctrl-C would.
  if (running?.pid) {
    try {
      process.kill(-running.pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  running = undefined;
});

/** Runs `npm run <script>` in its own process group and returns what it printed up to "Ctrl-C stops it." */
function start(script: 'edge' | 'shim', args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], { cwd: root, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  return new Promise((resolveBanner, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ctrl-C stops it.')) resolveBanner(out);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`npm run ${script} exited ${code} before it was ready:\n${out}\n${err}`)));
  });
}

describe('npm run edge / npm run shim', () => {
  it('edge: prints its URL, a team token and a curl; the curl answers the seeded number', async () => {
    const banner = await start('edge');
    const url = /edge listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    const token = /team token: (\S+)/.exec(banner)?.[1];
    const curl = /curl -s -H 'Authorization: Bearer (\S+)' '([^']+)'/.exec(banner);
    expect(url, banner).toBeDefined();
    expect(curl?.[1]).toBe(token);
    expect(curl?.[2]).toBe(`${url}/phone-numbers/%2B919876543210?userName=demo`);
    const res = await fetch(curl![2]!, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'success', phoneNumber: '+919876543210', phoneName: 'Sales' });
  });

  it('shim: prints its URL and a v1 curl; the v1 call is answered in v1 bytes through v2', async () => {
    const banner = await start('shim');
    expect(banner).toMatch(/shim listening on http:\/\/127\.0\.0\.1:\d+/);
    const v1Url = /curl -s '([^']+)'/.exec(banner)?.[1];
    expect(v1Url, banner).toMatch(/\/CAServices\/PhoneManageV2\.php\?action=edit&apiKey=sandbox-/);
    const res = await fetch(v1Url!);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"success","message":"record inserted successfully"}');
    // The control room and `caphone migrate status` need the admin token the banner prints.
    const shimUrl = /shim listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
    const admin = /admin token: (\S+) /.exec(banner)?.[1];
    expect(admin, banner).toBeDefined();
    expect(banner).toContain(`SHIM_ADMIN_TOKEN=${admin} caphone migrate status --shim ${shimUrl}`);
    const metrics = await fetch(`${shimUrl}/_shim/metrics`, { headers: { authorization: `Bearer ${admin}` } });
    expect(metrics.status).toBe(200);
    // This run's one call and nothing else: a throwaway simulator's counts stay out of ~/.local/state.
    expect(((await metrics.json()) as { totals: { calls: number } }).totals.calls).toBe(1);
    expect((await fetch(`${shimUrl}/_shim/metrics`, { headers: { authorization: 'Bearer not-the-admin-token' } })).status).not.toBe(200);
  });

  it('the CLI quick start\'s exports in the same shell do not redirect them: only --upstream leaves the simulator', async () => {
    // The root README exports CLOUDAGENT_BASE_URL (a caphone sandbox) before it reaches npm run edge / shim.
    const env = { ...process.env, CLOUDAGENT_BASE_URL: 'http://127.0.0.1:4010', CLOUDAGENT_USERNAME: 'demo', CLOUDAGENT_API_KEY: 'demo-key' };
    const edge = await start('edge', [], env);
    expect(edge).toContain('in front of the embedded simulator');
    expect(edge).toContain('CLOUDAGENT_BASE_URL is not used here');
    const curl = /curl -s -H 'Authorization: Bearer (\S+)' '([^']+)'/.exec(edge)!;
    const res = await fetch(curl[2]!, { headers: { authorization: `Bearer ${curl[1]}` } });
    expect(await res.json()).toMatchObject({ outcome: 'success', phoneNumber: '+919876543210', phoneName: 'Sales' });
    process.kill(-running!.pid!, 'SIGINT');
    running = undefined;
    const shim = await start('shim', [], env);
    expect(shim).toContain('in front of the embedded simulator');
    expect(shim).toContain('simulator key');
  });

  it('shim --upstream URL: forwards to that CloudAgent instead of starting a simulator', async () => {
    const upstream = await startSimulator({ port: 0, userName: 'acme', apiKey: 'CANARY-KEY-upstream-91c2', records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }] });
    try {
      const banner = await start('shim', ['--upstream', upstream.url]);
      expect(banner).toContain(`in front of ${upstream.url}`);
      expect(banner).not.toContain('simulator key');
      const template = /curl -s '([^']+)'/.exec(banner)![1]!;
      const res = await fetch(template.replace('<your API key>', 'CANARY-KEY-upstream-91c2').replace('<your user name>', 'acme'));
      expect(await res.text()).toBe('{"status":"success","message":"record inserted successfully"}');
      expect(upstream.control.records().find((r) => r.phoneNumber === '+919876543210')?.phoneName).toBe('Support');
    } finally {
      await upstream.close();
    }
  });

  it('edge --upstream URL: forwards to that CloudAgent with the accounts of CLOUDAGENT_ACCOUNTS, under a quick-start team token', async () => {
    const key = 'CANARY-KEY-edge-upstream-5d1e';
    const upstream = await startSimulator({ port: 0, userName: 'acme', apiKey: key, records: [{ phoneNumber: '+919876543210', phoneName: 'Sales' }] });
    try {
      // Without the accounts it says which variable it needs, and starts nothing.
      const bare = { ...process.env };
      delete bare.CLOUDAGENT_ACCOUNTS;
      delete bare.TEAMS;
      await expect(start('edge', ['--upstream', upstream.url], bare)).rejects.toThrow(/exited 2[\s\S]*CLOUDAGENT_ACCOUNTS/);
      running = undefined;

      const banner = await start('edge', ['--upstream', upstream.url], { ...bare, CLOUDAGENT_ACCOUNTS: JSON.stringify({ acme: { apiKey: key } }) });
      expect(banner).toContain(`in front of ${upstream.url}`);
      expect(banner).not.toContain('embedded simulator');
      expect(banner).not.toContain(key);
      const token = /team token: (\S+)/.exec(banner)?.[1];
      const curl = /curl -s -H 'Authorization: Bearer (\S+)' '([^']+)'/.exec(banner);
      expect(curl?.[1], banner).toBe(token);
      expect(curl?.[2]).toMatch(/\/phone-numbers\/%2B919876543210\?userName=acme$/);
      const res = await fetch(curl![2]!, { headers: { authorization: `Bearer ${token}` } });
      expect(await res.json()).toMatchObject({ outcome: 'success', phoneNumber: '+919876543210', phoneName: 'Sales' });
      // The answer came from that CloudAgent (which refuses any other key): it saw the edge's v2 get.
      expect(upstream.control.calls().filter((call) => call.action === 'get' && call.params.phoneNumber === '+919876543210').map((call) => call.auth)).toEqual(['apiKey']);
    } finally {
      await upstream.close();
    }
  });
});
