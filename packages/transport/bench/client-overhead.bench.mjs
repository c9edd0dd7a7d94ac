// The client's overhead over a bare request loop, in the same run, against the simulator on
// loopback: validation, encoding, classification, redaction of the result and the per-attempt
// timeout, over (1) a bare fetch loop and (2) a bare node:http loop. Prints ops/s and the ratio
// (client / bare: 1.00 means no overhead). Figures are noisy on shared machines; the ratio is the
// number to watch.
import http from 'node:http';
import { bareNodeHttp, median } from '@cloudagent-phone/bench-kit';
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { createClient, createFetchTransport } from '../dist/index.js';
import { createNodeHttpTransport } from '../dist/node.js';

const API_KEY = 'bench-key-0001';
const records = Array.from({ length: 4 }, (_, i) => ({ phoneNumber: `91980000000${i}`, phoneName: `Line${i}A` }));
const sim = await startSimulator({ port: 0, userName: 'bench', apiKey: API_KEY, records, callLogLimit: 1000 });
const url = `${sim.url}/ca_apis/PhoneManageV2`;

/** Each task edits its own record, flipping its name between ...A and ...B so every edit succeeds. */
function flipper(i) {
  let name = `Line${i}A`;
  return () => {
    const next = name.endsWith('A') ? `Line${i}B` : `Line${i}A`;
    const input = { phoneNumber: records[i].phoneNumber, phoneName: name, phoneNameNew: next };
    name = next;
    return input;
  };
}

const bareBody = (input) => JSON.stringify({ action: 'edit', userName: 'bench', ...input });
const headers = { 'content-type': 'application/json', accept: 'application/json', apiKey: API_KEY };

const agent = new http.Agent({ keepAlive: true });

const fetchClient = createClient({ userName: 'bench', apiKey: API_KEY, baseUrl: sim.url, transport: createFetchTransport() });
const nodeClient = createClient({ userName: 'bench', apiKey: API_KEY, baseUrl: sim.url, transport: createNodeHttpTransport({ agent }) });

const expectSuccess = (text) => {
  if (!text.includes('record inserted successfully')) throw new Error(`unexpected answer: ${text}`);
};
const flips = [0, 1, 2, 3].map(flipper);
const tasks = {
  'bare fetch loop': async () => {
    const res = await fetch(url, { method: 'POST', headers, body: bareBody(flips[0]()) });
    expectSuccess(await res.text());
  },
  'client over fetch': async () => {
    const r = await fetchClient.editPhoneNumber(flips[1]());
    if (r.outcome.kind !== 'success') throw new Error(r.outcome.message);
  },
  'bare node:http loop': async () => {
    expectSuccess(await bareNodeHttp(url, { headers, agent }, bareBody(flips[2]())));
  },
  'client over node:http': async () => {
    const r = await nodeClient.editPhoneNumber(flips[3]());
    if (r.outcome.kind !== 'success') throw new Error(r.outcome.message);
  },
};

// Interleaved rounds, the order rotated each round, so warm-up, GC and the simulator's growing logs
// fall on every task alike. The first round is warm-up and not counted.
const ROUNDS = 7;
const OPS = 400;
const names = Object.keys(tasks);
const perOp = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) {
    const t0 = performance.now();
    for (let i = 0; i < OPS; i++) await tasks[name]();
    if (round > 0) perOp[name].push((performance.now() - t0) / OPS);
  }
}
const ms = Object.fromEntries(names.map((n) => [n, median(perOp[n])]));
console.table(names.map((n) => ({ task: n, 'median ms/edit': ms[n].toFixed(3), 'ops/s': Math.round(1000 / ms[n]) })));
const ratio = (client, bare) => (ms[client] / ms[bare]).toFixed(2);
console.log(`client over fetch / bare fetch loop:         ${ratio('client over fetch', 'bare fetch loop')}x the time per edit`);
console.log(`client over node:http / bare node:http loop: ${ratio('client over node:http', 'bare node:http loop')}x the time per edit`);

agent.destroy();
await sim.close();
