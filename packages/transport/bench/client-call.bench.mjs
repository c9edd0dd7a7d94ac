// The client's own cost per call, with no network: `client.run` for an edit against an in-memory
// transport that answers the v2 success JSON at once. What is left is core (validation, encoding,
// classification, redaction) and the client's bookkeeping (the per-attempt signal and timer, the
// send loop, the result): the per-row CPU a bulk run or an edge job pays on top of its transport.
//
// Measured as CPU microseconds per call (process.cpuUsage: on a shared machine wall time mostly
// measures the neighbours), median of interleaved rounds. Three ways in:
//   validated op: run(op) where op came from core's validateOperation, as the bulk runners call it
//   raw input:    editPhoneNumber({ ... }) with a comma-separated skill string, as a person would
//   with signal:  the validated op with a caller's signal, as the edge calls it (callWithDeadline)
//
// `--beside DIR`: also measure another build in the same run, interleaved (DIR holds
// node_modules/@cloudagent-phone/{core,transport}/dist, e.g. a copy of main's build), and print
// this build's time as a ratio of that one. Usage: node bench/client-call.bench.mjs [--beside DIR]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const besideDir = argv.includes('--beside') ? resolve(argv[argv.indexOf('--beside') + 1]) : undefined;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);

const SUCCESS = { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'req-0001' }, body: '{"status":"success","message":"record inserted successfully"}' };

/** An in-memory transport: every request is answered at once with CloudAgent's success JSON. */
const memoryTransport = {
  name: 'memory',
  capabilities: { getWithBody: true, releasesSignal: true },
  send: async () => SUCCESS,
};

const input = (i) => ({ phoneNumber: `+9170${String(i % 1000).padStart(7, '0')}`, phoneName: `Line${i % 1000}`, phoneNumberNew: `+9180${String(i % 1000).padStart(7, '0')}`, assignSkill: 'General,Sales' });

async function loadBuild(label, transportUrl, coreUrl) {
  const transport = await import(transportUrl);
  const core = await import(coreUrl);
  const client = transport.createClientWithTransport({ userName: 'bench', apiKey: 'bench-key-not-a-secret-0001', baseUrl: 'http://127.0.0.1:9', transport: memoryTransport });
  const ops = Array.from({ length: 1000 }, (_, i) => {
    const checked = core.validateOperation({ action: 'edit', ...input(i) });
    if (!checked.ok) throw new Error(checked.issues[0].message);
    return checked.value;
  });
  const controller = new AbortController();
  const expect = (result) => {
    if (result.outcome.kind !== 'success') throw new Error(`${label}: ${result.outcome.message}`);
  };
  return {
    label,
    tasks: {
      'validated op': async (i) => expect(await client.run(ops[i % 1000])),
      'raw input': async (i) => expect(await client.editPhoneNumber(input(i))),
      'with signal': async (i) => expect(await client.run(ops[i % 1000], { signal: controller.signal })),
    },
  };
}

const here = new URL('../dist/', import.meta.url);
const builds = [await loadBuild('this build', new URL('index.js', here).href, import.meta.resolve('@cloudagent-phone/core'))];
if (besideDir) {
  const at = (pkg) => pathToFileURL(`${besideDir}/node_modules/@cloudagent-phone/${pkg}/dist/index.js`).href;
  builds.push(await loadBuild('beside', at('transport'), at('core')));
}

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const runs = [];
for (const build of builds) for (const task of Object.keys(build.tasks)) runs.push({ build, task, cpu: [], wall: [] });

// Interleaved, the order rotated each round, so GC and the neighbours' load fall on every run alike.
// Round 0 warms up (JIT) and is not counted.
for (let round = 0; round <= ROUNDS; round++) {
  for (let k = 0; k < runs.length; k++) {
    const run = runs[(k + round) % runs.length];
    const call = run.build.tasks[run.task];
    const cpu0 = cpuMicros();
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) await call(i);
    if (round > 0) {
      run.wall.push(((performance.now() - t0) * 1000) / CALLS);
      run.cpu.push((cpuMicros() - cpu0) / CALLS);
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const table = runs.map((r) => ({ build: r.build.label, call: r.task, 'CPU us/call': median(r.cpu).toFixed(2), 'wall us/call': median(r.wall).toFixed(2) }));
console.table(table);
if (besideDir) {
  for (const task of Object.keys(builds[0].tasks)) {
    const ours = median(runs.find((r) => r.build === builds[0] && r.task === task).cpu);
    const theirs = median(runs.find((r) => r.build === builds[1] && r.task === task).cpu);
    console.log(`${task}: this build ${ours.toFixed(2)} us CPU/call, beside ${theirs.toFixed(2)}: ${(ours / theirs).toFixed(2)}x`);
  }
}
