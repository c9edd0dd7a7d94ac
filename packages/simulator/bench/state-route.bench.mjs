// How long `GET /__simulator/state` takes, and how big it is, after a long run: the default window
// (appliedLogLimit 10,000) against a window large enough to keep every mutation (what the simulator
// did before the window existed), measured in the same run, each beside the route on a fresh
// simulator as the baseline. Mutations go straight into the state (what each applied request ends
// in), so the run itself is quick; the route is measured through the app. Needs the build:
// `pnpm exec turbo run build --filter=@cloudagent-phone/simulator...`.
import { createSimulator } from '../dist/index.js';

const MUTATIONS = Number(process.env.BENCH_MUTATIONS ?? 300_000);
const NUMBERS = 1000;
const ROUNDS = 5;

function longRun(appliedLogLimit) {
  const records = Array.from({ length: NUMBERS }, (_, i) => ({ phoneNumber: String(9000000000 + i), phoneName: `Desk${i}A` }));
  const sim = createSimulator({ records, controlRoutes: true, appliedLogLimit });
  for (let i = 0; i < MUTATIONS; i++) {
    const phoneNumber = String(9000000000 + (i % NUMBERS));
    const before = sim.state.byNumber(phoneNumber);
    const phoneName = `Desk${i % NUMBERS}${before.phoneName.endsWith('A') ? 'B' : 'A'}`;
    sim.state.apply({ callId: i + 1, version: 'v2', action: 'edit', at: i }, before, { ...before, phoneName });
  }
  return sim;
}

async function timeState(sim) {
  const runs = [];
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const started = process.hrtime.bigint();
    const text = await (await sim.fetch(new Request('http://sim.test/__simulator/state'))).text();
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
    bytes = Buffer.byteLength(text);
  }
  return { ms: [...runs].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)], bytes };
}

const fresh = await timeState(createSimulator({ controlRoutes: true, records: Array.from({ length: NUMBERS }, (_, i) => ({ phoneNumber: String(9000000000 + i), phoneName: `Desk${i}A` })) }));
const windowed = longRun(undefined);
const w = await timeState(windowed);
const everything = longRun(MUTATIONS);
const e = await timeState(everything);
if (windowed.control.applyCount() !== MUTATIONS || windowed.control.timesApplied('edit', '9000000000') !== MUTATIONS / NUMBERS) {
  throw new Error('the counts lost mutations');
}

const mb = (n) => `${(n / 1048576).toFixed(2).padStart(7)} MB`;
const ms = (n) => `${n.toFixed(1).padStart(8)} ms`;
console.log(`GET /__simulator/state after ${MUTATIONS.toLocaleString('en-US')} applied edits over ${NUMBERS} numbers, median of ${ROUNDS}`);
console.log(`  fresh simulator (baseline)         ${ms(fresh.ms)}  ${mb(fresh.bytes)}`);
console.log(`  default window (10,000 kept)       ${ms(w.ms)}  ${mb(w.bytes)}  ratio to baseline ${(w.ms / fresh.ms).toFixed(1)}`);
console.log(`  every mutation kept                ${ms(e.ms)}  ${mb(e.bytes)}  ratio to baseline ${(e.ms / fresh.ms).toFixed(1)}`);
console.log(`  window / everything                ${(w.ms / e.ms).toFixed(3)}`);
