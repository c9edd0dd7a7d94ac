// How long /_shim/metrics takes after a stream of junk user names, beside the same route on a shim
// that has seen only real calls, in the same run. The labels are bounded (junk shares one), so the
// ratio should stay near 1. Timings belong here, not in a test. Ratios matter, not the figures.
//
//   pnpm --filter @cloudagent-phone/shim bench          (after build)
//   JUNK=50000 ROUNDS=500 pnpm --filter @cloudagent-phone/shim bench
import { performance } from 'node:perf_hooks';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { configFromEnv, createShim } from '../dist/index.js';

const JUNK = Number(process.env.JUNK ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 300);
const KEY = 'bench-key-not-secret';
const USER = 'bench';
const ADMIN = 'bench-admin-token-0123456789';
const PATH = '/CAServices/PhoneManageV2.php';

// CloudAgent's two answers, without keeping anything: the bench measures the shim's structures.
const v2 = async (input, init) => {
  const request = new Request(input, { ...init, signal: null });
  const body = JSON.parse(await request.text());
  const ok = body.userName === USER && request.headers.get('apikey') === KEY;
  return new Response(JSON.stringify(ok ? { status: 'success', message: 'record inserted successfully' } : { status: 'error', message: 'userName or apiKey not valid' }));
};

function shim() {
  return createShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_ADMIN_TOKEN: ADMIN }), v2Transport: createFetchTransport({ fetch: v2 }), log: () => {} });
}
const call = (s, user, key, i) => s.fetch(new Request(`http://shim.test${PATH}?action=create&apiKey=${key}&userName=${user}&phoneNumber=%2B9170${String(i).padStart(8, '0')}&phoneName=B${i}`)).then((r) => r.text());

async function timeMetrics(s) {
  const times = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await (await s.fetch(new Request('http://shim.test/_shim/metrics', { headers: { authorization: `Bearer ${ADMIN}` } }))).text();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] };
}

const clean = shim();
const junked = shim();
for (let i = 0; i < 100; i++) {
  await call(clean, USER, KEY, i);
  await call(junked, USER, KEY, i);
}
const started = performance.now();
for (let i = 0; i < JUNK; i++) await call(junked, `junk${i.toString(36)}`.padEnd(64, 'z'), `wrong-${i}`, i);
const junkMs = performance.now() - started;

await timeMetrics(clean); // warm-up
const baseline = await timeMetrics(clean);
const afterJunk = await timeMetrics(junked);
const size = (await (await junked.fetch(new Request('http://shim.test/_shim/metrics', { headers: { authorization: `Bearer ${ADMIN}` } }))).text()).length;
console.log(`shim /_shim/metrics after ${JUNK} junk user names (${(JUNK / (junkMs / 1000)).toFixed(0)} junk calls/s), ${ROUNDS} rounds`);
console.log(`  clean shim:  median ${baseline.median.toFixed(3)} ms, p95 ${baseline.p95.toFixed(3)} ms`);
console.log(`  after junk:  median ${afterJunk.median.toFixed(3)} ms, p95 ${afterJunk.p95.toFixed(3)} ms, body ${size} bytes`);
console.log(`  ratio (after junk / clean, median): ${(afterJunk.median / baseline.median).toFixed(2)}x`);
