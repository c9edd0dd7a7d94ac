// The simulator's raw throughput on loopback (v2 edits over node:http keep-alive), printed beside
// a bare node:http server answering a fixed JSON body, measured in the same run. Figures are noisy;
// the ratio is what to compare between runs. Needs the build: `pnpm exec turbo run build --filter=@cloudagent-phone/simulator...`.
import { Agent, createServer, request } from 'node:http';
import { startSimulator } from '../dist/node.js';

const N = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const KEY = 'bench-key';
const USER = 'bench';

function post(agent, url, body, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** N requests split over CONCURRENCY workers; `bodyFor(worker, i)` gives each request's body. */
async function measure(url, bodyFor, check) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const per = Math.ceil(N / CONCURRENCY);
  const worker = async (w, count) => {
    for (let i = 0; i < count; i++) check(await post(agent, url, bodyFor(w, i), { apiKey: KEY }));
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w, per)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return (per * CONCURRENCY) / seconds;
}

// Baseline: the least a node:http server can do per request.
const fixed = JSON.stringify({ status: 'success', message: 'record inserted successfully' });
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fixed) }).end(fixed));
});
await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${bare.address().port}/ca_apis/PhoneManageV2`;

const records = Array.from({ length: CONCURRENCY }, (_, w) => ({ phoneNumber: String(9000000000 + w), phoneName: `Desk${w}A` }));
const sim = await startSimulator({ userName: USER, apiKey: KEY, records, callLogLimit: 1000 });
const simUrl = `${sim.url}/ca_apis/PhoneManageV2`;
// Each worker renames its own record back and forth, so every edit is a real, successful mutation.
const counters = new Array(CONCURRENCY).fill(0);
const editBody = (w) => {
  const from = counters[w] % 2 === 0 ? 'A' : 'B';
  const to = from === 'A' ? 'B' : 'A';
  counters[w] += 1;
  return JSON.stringify({ action: 'edit', userName: USER, phoneNumber: String(9000000000 + w), phoneName: `Desk${w}${from}`, phoneNumberNew: String(9000000000 + w), phoneNameNew: `Desk${w}${to}` });
};
const mustSucceed = (r) => {
  if (r.status !== 200 || r.text !== fixed) throw new Error(`unexpected answer ${r.status} ${r.text}`);
};

// Warm both up (JIT, sockets), then alternate rounds so background load hits both alike; report medians.
await measure(bareUrl, () => fixed, mustSucceed);
await measure(simUrl, editBody, mustSucceed);
const ROUNDS = 3;
const bareRuns = [];
const simRuns = [];
for (let r = 0; r < ROUNDS; r++) {
  bareRuns.push(await measure(bareUrl, () => fixed, mustSucceed));
  simRuns.push(await measure(simUrl, editBody, mustSucceed));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await sim.close();
await new Promise((resolve) => bare.close(resolve));

const base = median(bareRuns);
const simulator = median(simRuns);
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(8);
const list = (xs) => xs.map((x) => fmt(x).trim()).join(', ');
console.log(`loopback, ${N} requests per round, ${CONCURRENCY} keep-alive connections, median of ${ROUNDS} alternating rounds`);
console.log(`  bare node:http, fixed JSON    ${fmt(base)} req/s  (rounds: ${list(bareRuns)})`);
console.log(`  simulator, v2 edits           ${fmt(simulator)} req/s  (rounds: ${list(simRuns)})`);
console.log(`  ratio simulator / bare        ${(simulator / base).toFixed(2)}`);
console.log(`  edits applied                 ${sim.control.applyCount()}`);
