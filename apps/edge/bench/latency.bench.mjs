// `pnpm bench`: what the edge costs on top of CloudAgent, measured in one run.
//
// 1. Latency and requests/s of the same operations sent to the simulator directly and through the
//    edge on Node (which forwards to that simulator), interleaved so both see the same machine.
//    Target: edge median at most 1.3x the direct median.
// 2. What an Idempotency-Key costs: a keyed create beside a plain one through the same edge, and a
//    replay (answered from the key store, nothing sent) beside a plain create. No target: printed.
// The deployable Worker's gzip size: bench/bundle-size.bench.mjs (the same `pnpm bench`).
import { createHash } from 'node:crypto';
import http from 'node:http';
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { startNodeEdge } from '../dist/node-runtime.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1500);
const WARMUP = 200;
/** A round trip to the real CloudAgent from a data centre takes tens of milliseconds; 20 is modest. */
const UPSTREAM_MS = 20;
const REALISTIC_ROUNDS = Math.max(50, Math.round(ROUNDS / 8));
const CONCURRENCY = 16;
const API_KEY = 'bench-key-not-secret';
const TEAM_TOKEN = 'bench-team-token';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request over node:http (the only client that can send the direct GET-with-body). */
function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

let sequence = 0;

async function measure(label, pairs, rounds, warmup, target, [base, other] = ['direct', 'edge']) {
  pairs = { direct: pairs[base] ?? pairs.direct, edge: pairs[other] ?? pairs.edge };
  const times = { direct: [], edge: [] };
  for (let r = 0; r < warmup + rounds; r++) {
    const i = sequence++;
    // Alternate which goes first, so neither always meets a warm or a cold socket.
    const order = i % 2 === 0 ? ['direct', 'edge'] : ['edge', 'direct'];
    for (const side of order) {
      const started = process.hrtime.bigint();
      const res = await pairs[side](i);
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.status !== 200) throw new Error(`${label} ${side} answered ${res.status}: ${res.body}`);
      if (r >= warmup) times[side].push(elapsed);
    }
  }
  const rps = {};
  for (const side of ['direct', 'edge']) {
    let next = 0;
    const started = process.hrtime.bigint();
    const total = rounds;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < total) {
          next++;
          const res = await pairs[side](sequence++);
          if (res.status !== 200) throw new Error(`${label} ${side} answered ${res.status}`);
        }
      }),
    );
    rps[side] = total / (Number(process.hrtime.bigint() - started) / 1e9);
  }
  const row = (side) => {
    const s = [...times[side]].sort((a, b) => a - b);
    return { median: quantile(s, 0.5), p95: quantile(s, 0.95), rps: rps[side] };
  };
  const direct = row('direct');
  const edge = row('edge');
  const ratio = edge.median / direct.median;
  const verdict = target ? ` (target <= ${target}x) ${ratio <= target ? 'ok' : 'OVER'}` : base === 'direct' ? ' (no target: see below)' : ' (no target)';
  console.log(
    `${label.padEnd(16)} ${base} median ${direct.median.toFixed(3)} ms p95 ${direct.p95.toFixed(3)} ms ${direct.rps.toFixed(0)} req/s | ` +
      `${other} median ${edge.median.toFixed(3)} ms p95 ${edge.p95.toFixed(3)} ms ${edge.rps.toFixed(0)} req/s | ` +
      `${other} adds ${(edge.median - direct.median).toFixed(3)} ms, median ratio ${ratio.toFixed(2)}x${verdict}`,
  );
  return ratio;
}

const simulator = await startSimulator({ userName: 'demo', apiKey: API_KEY, phoneNumberLimit: 1e9, records: [{ phoneNumber: '+919876543210', phoneName: 'Front-desk' }] });
const edge = await startNodeEdge(
  {
    CLOUDAGENT_BASE_URL: simulator.url,
    CLOUDAGENT_ACCOUNTS: JSON.stringify({ demo: { apiKey: API_KEY } }),
    TEAMS: JSON.stringify([{ name: 'bench', tokenSha256: createHash('sha256').update(TEAM_TOKEN).digest('hex'), userNames: ['demo'], rateLimitPerMinute: 1e9 }]),
  },
  { port: 0, logSink: () => {} },
);
const v2 = `${simulator.url}/ca_apis/PhoneManageV2`;
const json = { 'content-type': 'application/json' };
const team = { authorization: `Bearer ${TEAM_TOKEN}` };

try {
  const scenarios = (upstreamMs) => ({
    lookup: {
      direct: () => send(v2, { method: 'GET', headers: { ...json, apiKey: API_KEY }, body: JSON.stringify({ action: 'get', userName: 'demo', phoneNumber: '+919876543210' }) }),
      edge: () => send(`${edge.url}/phone-numbers/%2B919876543210?userName=demo`, { headers: team }),
    },
    create: {
      direct: (i) => send(v2, { method: 'POST', headers: { ...json, apiKey: API_KEY }, body: JSON.stringify({ action: 'create', userName: 'demo', phoneNumber: `5${String(i).padStart(9, '0')}`, phoneName: `Direct-${upstreamMs}-${i}` }) }),
      edge: (i) => send(`${edge.url}/phone-numbers`, { method: 'POST', headers: { ...json, ...team }, body: JSON.stringify({ userName: 'demo', phoneNumber: `6${String(i).padStart(9, '0')}`, phoneName: `Edge-${upstreamMs}-${i}` }) }),
    },
  });

  console.log(`The edge on Node beside the simulator called directly, interleaved; req/s at concurrency ${CONCURRENCY}.`);
  console.log(`1) simulator answering at once (${ROUNDS} requests a side): what the edge itself costs`);
  for (const [name, pairs] of Object.entries(scenarios(0))) await measure(`${name}, 0 ms`, pairs, ROUNDS, WARMUP);
  console.log(`2) simulator answering after ${UPSTREAM_MS} ms, like a CloudAgent across a network (${REALISTIC_ROUNDS} requests a side)`);
  simulator.control.setFaults({ rates: { latency: 1 }, settings: { latency: { ms: UPSTREAM_MS } } });
  for (const [name, pairs] of Object.entries(scenarios(UPSTREAM_MS))) await measure(`${name}, ${UPSTREAM_MS} ms`, pairs, REALISTIC_ROUNDS, 10, 1.3);
  simulator.control.clearFaults();
  console.log('In 1) the ratio is dominated by the extra local HTTP hop (the simulator answers in well under a millisecond); the target applies to 2).');

  // Both sides through the edge, simulator answering at once, so the key's own cost is what differs.
  const create = (prefix, i, headers = {}) =>
    send(`${edge.url}/phone-numbers`, { method: 'POST', headers: { ...json, ...team, ...headers }, body: JSON.stringify({ userName: 'demo', phoneNumber: `${prefix}${String(i).padStart(9, '0')}`, phoneName: `Key-${prefix}-${i}` }) });
  const replayBody = JSON.stringify({ userName: 'demo', phoneNumber: '4000000000', phoneName: 'Replayed' });
  const replay = () => send(`${edge.url}/phone-numbers`, { method: 'POST', headers: { ...json, ...team, 'idempotency-key': 'bench-replay' }, body: replayBody });
  if ((await replay()).status !== 200) throw new Error('the replayed create did not succeed');
  console.log(`3) Idempotency-Key through the edge (${ROUNDS} requests a side, simulator answering at once): no target, the cost is printed`);
  await measure('keyed create', { plain: (i) => create('7', i), keyed: (i) => create('8', i, { 'idempotency-key': `bench-${i}` }) }, ROUNDS, WARMUP, undefined, ['plain', 'keyed']);
  await measure('replay', { plain: (i) => create('3', i), replay }, ROUNDS, WARMUP, undefined, ['plain', 'replay']);
} finally {
  agent.destroy();
  await edge.close();
  await simulator.close();
}
