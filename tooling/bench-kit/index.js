// What the benches share (apps/cli/bench/startup.bench.mjs, apps/edge/bench/bulk-jobs.bench.mjs,
// packages/transport/bench/*.bench.mjs). See README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const RAW_CLIENT = fileURLToPath(new URL('./raw-client.mjs', import.meta.url));
const SIMULATOR_NODE = import.meta.resolve('@cloudagent-phone/simulator/node');

/** The middle value (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The simulator's raw capacity at `url` (a running simulator's base URL): `rows` edits (raw-client.mjs)
 * over `connections` keep-alive connections from a bare node:http client in a child process.
 * Resolves to its requests per second and its own CPU time (µs, user + system, start-up included).
 */
export async function rawCapacity({ url, rows, connections, userName, apiKey }) {
  const child = spawn(process.execPath, [RAW_CLIENT, url, String(rows), String(connections), userName, apiKey], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`the raw client exited ${code}`);
  return JSON.parse(out);
}

/**
 * The simulator in a child process, so its CPU is not the bench's: `startSimulator(options)` of
 * @cloudagent-phone/simulator/node there (options as JSON). Resolves to its base URL and a `close`.
 */
export async function startSimulatorProcess(options) {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `import { startSimulator } from ${JSON.stringify(SIMULATOR_NODE)};\nconst sim = await startSimulator(${JSON.stringify(options)});\nconsole.log(sim.url);`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [url] = await once(createInterface({ input: child.stdout }), 'line');
  return { url, close: () => child.kill() };
}

/** One POST of `body` by node:http itself (no transport of ours): the floor the benches' ratios are taken against. Resolves to the answer's text. */
export function bareNodeHttp(url, { headers, agent }, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
