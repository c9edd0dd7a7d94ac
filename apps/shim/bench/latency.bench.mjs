// Latency through the shim beside a direct v2 call, in the same run, against the same simulator on
// a real socket. Prints the medians, p95s and the ratio (shim / direct): the shim's cost is the
// difference (v1 parsing, translation, one extra local hop). Ratios matter, not the figures.
//
//   pnpm --filter @cloudagent-phone/shim bench          (after build)
//   ROUNDS=2000 pnpm --filter @cloudagent-phone/shim bench
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv, startShim } from '../dist/node.js';

const ROUNDS = Number(process.env.ROUNDS ?? 600);
const WARMUP = 100;
const KEY = 'bench-key-not-secret';
const USER = 'bench';

const v2 = await startSimulator({ userName: USER, apiKey: KEY, phoneNumberLimit: 10_000_000 });
const shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: v2.url }), log: () => {} });

let n = 0;
const nextNumber = () => `+91${String(7_000_000_000 + n++)}`;

async function direct() {
  const res = await fetch(`${v2.url}/ca_apis/PhoneManageV2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apiKey: KEY },
    body: JSON.stringify({ action: 'create', userName: USER, phoneNumber: nextNumber(), phoneName: `D${n}` }),
  });
  const text = await res.text();
  if (!text.includes('record inserted successfully')) throw new Error(`direct v2 call failed: ${text}`);
}

async function viaShim() {
  const number = encodeURIComponent(nextNumber());
  const res = await fetch(`${shim.url}/CAServices/PhoneManageV2.php?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=${number}&phoneName=S${n}`);
  const text = await res.text();
  if (text !== '{"status":"success","message":"record inserted successfully"}') throw new Error(`shim call failed: ${text}`);
}

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

try {
  for (let i = 0; i < WARMUP; i++) {
    await direct();
    await viaShim();
  }
  const d = [];
  const s = [];
  // Interleaved, so drift (GC, CPU frequency, the other engineer's build) hits both alike.
  for (let i = 0; i < ROUNDS; i++) {
    d.push(await time(direct));
    s.push(await time(viaShim));
  }
  const row = (name, xs) => `${name.padEnd(22)} median ${quantile(xs, 0.5).toFixed(3)} ms   p95 ${quantile(xs, 0.95).toFixed(3)} ms`;
  console.log(`shim latency bench: ${ROUNDS} interleaved creates each (after ${WARMUP} warm-up), Node ${process.version}`);
  console.log(row('direct v2 (baseline)', d));
  console.log(row('v1 via shim -> v2', s));
  console.log(`ratio shim/direct: median ${(quantile(s, 0.5) / quantile(d, 0.5)).toFixed(2)}x   p95 ${(quantile(s, 0.95) / quantile(d, 0.95)).toFixed(2)}x`);
  console.log('(the shim path includes a second local HTTP hop: v1 caller -> shim -> v2)');
} finally {
  await shim.close();
  await v2.close();
}
