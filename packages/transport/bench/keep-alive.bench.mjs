// What one request costs this process, by transport, against the same simulator in the same run:
// CPU microseconds per request (user + system of this process: the client's whole cost, kernel
// writes included; the simulator runs in a child process and is not counted) and requests per
// second, at the concurrency of a bulk run (8 in flight, 8 keep-alive connections).
//
//   bare node:http      a hand-written node:http loop (keep-alive agent): the floor node:http allows
//   node-http           createNodeHttpTransport({ agent }) .send
//   keep-alive          createKeepAliveTransport() .send
//   client/node-http    createClient over node-http: validation, encoding, classification, redaction
//   client/keep-alive   createClient over keep-alive
//
// Target: keep-alive's cost per request less than half of node-http's (the client-side cost of
// the HTTP stack), and the client over keep-alive well below the client over node:http.
// Rounds are interleaved and their order rotated, so load that comes and goes on a shared machine
// hits every task alike; the first round is warm-up; medians are printed. CPU time is the number
// to quote on a loaded machine (requests/s there also measures the other processes).
// Usage: node bench/keep-alive.bench.mjs [--requests 4000] [--rounds 7] [--concurrency 8]
import http from 'node:http';
import { bareNodeHttp, median, startSimulatorProcess } from '@cloudagent-phone/bench-kit';
import { createClient } from '../dist/index.js';
import { createKeepAliveTransport, createNodeHttpTransport } from '../dist/node.js';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const REQUESTS = option('--requests', 4000);
const ROUNDS = option('--rounds', 7);
const CONCURRENCY = option('--concurrency', 8);
const USER = 'bench';
const API_KEY = 'bench-key-0001';

const tasks = ['bare node:http', 'node-http', 'keep-alive', 'client/node-http', 'client/keep-alive'];
// Each task edits records of its own, one per lane, flipping the name between ...A and ...B so every edit succeeds.
const number = (task, lane) => `9198${String(task).padStart(2, '0')}${String(lane).padStart(6, '0')}`;
const records = tasks.flatMap((_, t) => Array.from({ length: CONCURRENCY }, (_, lane) => ({ phoneNumber: number(t, lane), phoneName: `Line${t}x${lane}A` })));

// The simulator in a child process: its CPU is not this process's.
const simulator = await startSimulatorProcess({ port: 0, userName: USER, apiKey: API_KEY, records, phoneNumberLimit: records.length * 2, callLogLimit: 1000 });
const baseUrl = simulator.url;
const url = `${baseUrl}/ca_apis/PhoneManageV2`;
const headers = { 'content-type': 'application/json', accept: 'application/json', apiKey: API_KEY };

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const nodeHttp = createNodeHttpTransport({ agent });
const keepAlive = createKeepAliveTransport({ maxSockets: CONCURRENCY });
const clientOverNodeHttp = createClient({ userName: USER, apiKey: API_KEY, baseUrl, transport: createNodeHttpTransport({ agent }) });
const clientOverKeepAlive = createClient({ userName: USER, apiKey: API_KEY, baseUrl, transport: keepAlive });

const expectSuccess = (text) => {
  if (!text.includes('record inserted successfully')) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
};

/** One lane's next edit for a task: the record's current name and the other one. */
const names = new Map(records.map((r) => [r.phoneNumber, r.phoneName]));
function nextEdit(task, lane) {
  const phoneNumber = number(task, lane);
  const phoneName = names.get(phoneNumber);
  const phoneNameNew = phoneName.endsWith('A') ? `${phoneName.slice(0, -1)}B` : `${phoneName.slice(0, -1)}A`;
  names.set(phoneNumber, phoneNameNew);
  return { phoneNumber, phoneName, phoneNameNew };
}
const rawBody = (edit) => JSON.stringify({ action: 'edit', userName: USER, ...edit });
const signal = new AbortController().signal;

const run = {
  'bare node:http': async (edit) => expectSuccess(await bareNodeHttp(url, { headers, agent }, rawBody(edit))),
  'node-http': async (edit) => expectSuccess((await nodeHttp.send({ method: 'POST', url, headers, body: rawBody(edit) }, signal)).body),
  'keep-alive': async (edit) => expectSuccess((await keepAlive.send({ method: 'POST', url, headers, body: rawBody(edit) }, signal)).body),
  'client/node-http': async (edit) => {
    const r = await clientOverNodeHttp.editPhoneNumber(edit);
    if (r.outcome.kind !== 'success') throw new Error(r.outcome.message);
  },
  'client/keep-alive': async (edit) => {
    const r = await clientOverKeepAlive.editPhoneNumber(edit);
    if (r.outcome.kind !== 'success') throw new Error(r.outcome.message);
  },
};

async function round(task) {
  const t = tasks.indexOf(task);
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      while (sent < REQUESTS) {
        sent++;
        await run[task](nextEdit(t, lane));
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMicrosPerRequest: (cpu.user + cpu.system) / REQUESTS, requestsPerSecond: (REQUESTS / wallMs) * 1000 };
}

const results = Object.fromEntries(tasks.map((t) => [t, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const task of tasks.map((_, i) => tasks[(i + r) % tasks.length])) {
    const result = await round(task);
    if (r > 0) results[task].push(result);
  }
}
const cpu = Object.fromEntries(tasks.map((t) => [t, median(results[t].map((x) => x.cpuMicrosPerRequest))]));
const rps = Object.fromEntries(tasks.map((t) => [t, median(results[t].map((x) => x.requestsPerSecond))]));

const { loadavg } = await import('node:os');
console.log(`\nCPU per request of this process (simulator in a child), ${REQUESTS} requests x ${ROUNDS - 1} rounds, ${CONCURRENCY} in flight, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.table(tasks.map((t) => ({ task: t, 'CPU us/request': cpu[t].toFixed(1), 'requests/s': Math.round(rps[t]) })));
const share = cpu['keep-alive'] / cpu['node-http'];
console.log(`keep-alive / node-http, CPU per request: ${share.toFixed(2)}x (target < 0.50: ${share < 0.5 ? 'met' : 'NOT met'})`);
console.log(`keep-alive / bare node:http loop, CPU per request: ${(cpu['keep-alive'] / cpu['bare node:http']).toFixed(2)}x`);
console.log(`client over keep-alive / client over node-http, CPU per request: ${(cpu['client/keep-alive'] / cpu['client/node-http']).toFixed(2)}x`);
console.log(`keep-alive / node-http, requests per second: ${(rps['keep-alive'] / rps['node-http']).toFixed(2)}x`);

agent.destroy();
await keepAlive.close();
simulator.close();
