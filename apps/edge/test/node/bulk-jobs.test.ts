import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdgeClient } from '@cloudagent-phone/edge-client';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '@cloudagent-phone/transport';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import document from '../../public/openapi.json';
import { createNodeBulkJobs } from '../../src/bulk-jobs/node-jobs.js';
import { startNodeEdge, type StartedEdge } from '../../src/node-runtime.js';
import { createContractChecker } from '../suite/contract.js';
import { BASIC_KEY, CANARIES, TEAM_TOKENS, edgeEnv } from '../suite/fixtures.js';

interface JobBody {
  id: string;
  url: string;
  team: string;
  state: string;
  total: number;
  finished: number;
  counts: { applied: number; notApplied: number; unknown: number; cancelled: number };
}
const json = async <T = JobBody>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;

const num = (i: number) => `+9170${String(i).padStart(8, '0')}`;
const seed = (count: number) => Array.from({ length: count }, (_, i) => ({ phoneNumber: num(i), phoneName: `Line${i}` }));
/** Edits that apply again if sent again (a skill, no rename): a row sent twice shows twice in the simulator's log. */
const skillRow = (i: number) => JSON.stringify({ phoneNumber: num(i), phoneName: `Line${i}`, assignSkill: 'General' });
const auth = { authorization: `Bearer ${TEAM_TOKENS.alpha}` };
const dataDirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-jobs-'));
  dataDirs.push(dir);
  return dir;
};

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, userName: 'demo', apiKey: BASIC_KEY, records: seed(400), skills: ['General'], phoneNumberLimit: 2000 });
});
afterAll(async () => {
  await sim.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sim.control.reset(seed(400)));

// Every answer of the in-process edge below is checked against the OpenAPI document it serves.
const contract = createContractChecker(document);
const mismatches: string[] = [];
async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  const { pathname, search } = new URL(url);
  mismatches.push(...contract.check({ method: init.method ?? 'GET', path: pathname + search, status: response.status, headers: response.headers, text: await response.clone().text() }));
  return response;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('bulk jobs on the Node edge (in process)', () => {
  let edge: StartedEdge;
  beforeAll(async () => {
    edge = await startNodeEdge({ ...edgeEnv(sim.url), EDGE_DATA_DIR: dataDir(), BULK_JOB_RATE_PER_MINUTE: '3000' }, { port: 0, logSink: () => {} });
  });
  afterAll(() => edge.close());

  it('refuses a job with any bad row, naming each row and field, and sends nothing', async () => {
    const body = [skillRow(1), JSON.stringify({ phoneNumber: 'abc', phoneName: 'Line2', assignSkill: 'General' }), '{not json', JSON.stringify({ phoneNumber: num(4), phoneName: 'L', colour: 'blue' })].join('\n');
    const res = await checkedFetch(`${edge.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body });
    expect(res.status).toBe(400);
    const problem = await json<{ errors: { field: string }[] }>(res);
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(['rows[2].phoneNumber', 'rows[3].row', 'rows[4].colour']);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('refuses an account the team is not granted (403), and a body type it does not read (415)', async () => {
    const forbidden = await checkedFetch(`${edge.url}/bulk-jobs?userName=other`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: skillRow(1) });
    expect(forbidden.status).toBe(403);
    const wrongType = await checkedFetch(`${edge.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: skillRow(1) });
    expect(wrongType.status).toBe(415);
    const noToken = await checkedFetch(`${edge.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: skillRow(1) });
    expect(noToken.status).toBe(401);
    expect(sim.control.calls()).toHaveLength(0);
  });

  it('runs a CSV job to the end: 202 with its URL, status with counts, the report in input order; the Idempotency-Key returns the same job', async () => {
    const csv = `phoneNumber,phoneName,phoneNameNew\n${Array.from({ length: 20 }, (_, i) => `${num(i)},Line${i},Renamed_${i}`).join('\n')}\n${num(399)},NotItsName,Xy\n`;
    const post = () => checkedFetch(`${edge.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv', 'idempotency-key': 'job-1' }, body: csv });
    const res = await post();
    expect(res.status, await res.clone().text()).toBe(202);
    const job = await json(res);
    expect(job).toMatchObject({ url: `/bulk-jobs/${job.id}`, total: 21, team: 'alpha' });
    expect(res.headers.get('location')).toBe(`/bulk-jobs/${job.id}`);
    const again = await post();
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(job.id);

    const done = await waitFor('the job to end', async () => {
      const status = await json(checkedFetch(`${edge.url}${job.url}`, { headers: auth }));
      return status.state === 'done' ? status : undefined;
    });
    expect(done).toMatchObject({ finished: 21, counts: { applied: 20, notApplied: 1, unknown: 0 } });
    for (let i = 0; i < 20; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);

    const report = await (await checkedFetch(`${edge.url}${job.url}/report`, { headers: auth })).text();
    const lines = report.trim().split('\n');
    expect(lines[0]).toBe('row,userName,action,phoneNumber,outcome,verdict,message,requestId,attempts');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(lines[21]).toMatch(/,not_applied,/);
    const ndjson = await (await checkedFetch(`${edge.url}${job.url}/report`, { headers: { ...auth, accept: 'application/x-ndjson' } })).text();
    expect(ndjson.trim().split('\n').map((l) => JSON.parse(l).verdict)).toEqual([...Array(20).fill('applied'), 'not_applied']);
    for (const text of [report, ndjson, JSON.stringify(done)]) for (const canary of CANARIES) expect(text).not.toContain(canary);

    // Another team does not see it.
    expect((await checkedFetch(`${edge.url}${job.url}`, { headers: { authorization: `Bearer ${TEAM_TOKENS.beta}` } })).status).toBe(404);
  });

  it('concurrent first requests with one Idempotency-Key make one job (one 202, the rest 200 with its id)', async () => {
    const body = Array.from({ length: 5 }, (_, i) => skillRow(i)).join('\n');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${edge.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson', 'idempotency-key': 'race-1' }, body })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 202]);
    const ids = new Set(await Promise.all(answers.map(async (a) => (await json(a)).id)));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    await waitFor('the job to end', async () => ((await json(fetch(`${edge.url}/bulk-jobs/${id}`, { headers: auth }))).state === 'done' ? true : undefined));
    for (let i = 0; i < 5; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);
  });

  it('takes its pace from the query (capped at half the team\'s rate) and refuses a pace it cannot take', async () => {
    const res = await fetch(`${edge.url}/bulk-jobs?userName=demo&ratePerMinute=50000&concurrency=2`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: skillRow(1) });
    expect(res.status).toBe(202);
    // alpha's rate is 10,000 a minute: a job may take half.
    expect(await json<{ ratePerMinute: number; concurrency: number }>(res)).toMatchObject({ ratePerMinute: 5000, concurrency: 2 });
    const bad = await fetch(`${edge.url}/bulk-jobs?userName=demo&concurrency=99`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: skillRow(1) });
    expect(bad.status).toBe(400);
    expect((await json<{ errors: { field: string; rule: string }[] }>(bad)).errors).toEqual([expect.objectContaining({ field: 'concurrency', rule: 'range' })]);
  });

  it('DELETE cancels: no new row is sent, and the counts say which rows were not', async () => {
    sim.control.setFaults({ rates: { latency: 1 }, settings: { latency: { ms: 40 } }, actions: ['edit'] });
    const body = Array.from({ length: 100 }, (_, i) => skillRow(i)).join('\n');
    const job = await json(checkedFetch(`${edge.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body }));
    await waitFor('a few rows applied', async () => (sim.control.appliedCounts().length >= 5 ? true : undefined));
    const cancel = await checkedFetch(`${edge.url}${job.url}`, { method: 'DELETE', headers: auth });
    expect(cancel.status).toBe(202);
    const ended = await waitFor('the job to be cancelled', async () => {
      const status = await json(checkedFetch(`${edge.url}${job.url}`, { headers: auth }));
      return status.state === 'cancelled' ? status : undefined;
    });
    const applied = sim.control.appliedCounts().length;
    expect(applied).toBeLessThan(100);
    expect(ended.counts.cancelled).toBe(100 - ended.counts.applied - ended.counts.unknown);
    expect(ended.counts.applied + ended.counts.unknown).toBe(applied);
    sim.control.clearFaults();
  });

  it('the typed client (@cloudagent-phone/edge-client) submits, follows, reports and cancels', async () => {
    const client = createEdgeClient({ baseUrl: edge.url, token: TEAM_TOKENS.alpha!, fetch: checkedFetch });
    const csv = `phoneNumber,phoneName,phoneNameNew\n${Array.from({ length: 8 }, (_, i) => `${num(i)},Line${i},Typed_${i}`).join('\n')}\n`;
    const created = await client.createBulkJob({ csv }, { userName: 'demo', idempotencyKey: 'typed-job' });
    if (!created.ok) throw new Error(`expected 202, got ${created.status}: ${created.problem.detail}`);
    expect(created.status).toBe(202);
    expect(created.data).toMatchObject({ total: 8, team: 'alpha', url: `/bulk-jobs/${created.data.id}` });
    // Submitting again with the same key (what a retry does) is the same job, not a second one.
    const again = await client.createBulkJob({ csv }, { userName: 'demo', idempotencyKey: 'typed-job' });
    expect([again.status, again.ok && again.data.id]).toEqual([200, created.data.id]);

    const done = await waitFor('the typed job to end', async () => {
      const status = await client.getBulkJob(created.data.id);
      return status.ok && status.data.state === 'done' ? status.data : undefined;
    });
    expect(done.counts).toEqual({ applied: 8, notApplied: 0, unknown: 0, cancelled: 0 });
    for (let i = 0; i < 8; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);

    const lines = await client.getBulkJobReport(created.data.id, { format: 'ndjson' });
    if (!lines.ok) throw new Error(lines.problem.detail);
    expect(lines.data.map((l) => [l.row, l.verdict, l.phoneNumber])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, 'applied', num(i)]));
    const text = await client.getBulkJobReport(created.data.id);
    expect(text.ok && text.data.split('\n')[0]).toBe('row,userName,action,phoneNumber,outcome,verdict,message,requestId,attempts');

    // Rows as objects go as NDJSON; a job that ended is not changed by a cancel.
    const objects = await client.createBulkJob({ rows: [{ phoneNumber: num(9), phoneName: 'Line9', phoneNameNew: 'Obj_9' }] }, { userName: 'demo' });
    expect(objects.status).toBe(202);
    const cancelled = await client.cancelBulkJob(created.data.id);
    expect([cancelled.status, cancelled.ok && cancelled.data.state]).toEqual([202, 'done']);

    const unknown = await client.getBulkJob('00000000-0000-4000-8000-000000000000');
    expect([unknown.status, !unknown.ok && unknown.problem.type]).toEqual([404, 'urn:cloudagent-phone:problem:not-found']);
    const bad = await client.createBulkJob({ ndjson: '{"phoneNumber":"abc","phoneName":"x"}\n' }, { userName: 'demo' });
    expect([bad.status, !bad.ok && 'errors' in bad.problem && bad.problem.errors?.map((e) => e.field)]).toEqual([400, ['rows[1].phoneNumber']]);
    await waitFor('the object job to end', async () => {
      const status = await client.getBulkJob(objects.ok ? objects.data.id : '');
      return status.ok && status.data.state === 'done' ? true : undefined;
    });
  });

  it('a method a job path does not take is 405 with the ones it does', async () => {
    for (const [method, path, allow] of [['PUT', '/bulk-jobs', 'POST'], ['POST', '/bulk-jobs/x', 'GET, DELETE'], ['DELETE', '/bulk-jobs/x/report', 'GET']] as const) {
      const res = await checkedFetch(`${edge.url}${path}`, { method, headers: auth });
      expect([res.status, res.headers.get('allow')], `${method} ${path}`).toEqual([405, allow]);
    }
  });

  it('every answer above matched the OpenAPI document: status, content type, body schema (NDJSON line by line) and headers', () => {
    expect(mismatches).toEqual([]);
    for (const answer of ['createBulkJob 202', 'createBulkJob 200', 'createBulkJob 400', 'createBulkJob 401', 'createBulkJob 403', 'createBulkJob 415', 'getBulkJob 200', 'getBulkJob 404', 'getBulkJobReport 200', 'cancelBulkJob 202']) {
      expect(contract.covered()).toContain(answer);
    }
  });
});

describe('a job\'s requests are booked in the team\'s limiter', () => {
  it('every request of the job is booked under half the team\'s limit; a refusal is waited out', async () => {
    const booked: [string, number, number][] = [];
    let refuseNext = 2;
    const jobs = createNodeBulkJobs({
      dataDir: dataDir(),
      transport: createNodeHttpTransport(),
      clientFor: (userName, transport) => createClient({ userName, apiKey: BASIC_KEY, baseUrl: sim.url, transport, maxRetries: 0 }),
      takeFromTeam: async (team, limit, ceiling) => {
        booked.push([team, limit, ceiling]);
        // The first two bookings are refused for a second, as a team window at its job share would.
        if (refuseNext > 0) {
          refuseNext -= 1;
          return { allowed: false, retryAfterSeconds: 1 };
        }
        return { allowed: true, retryAfterSeconds: 0 };
      },
    });
    const rows = Array.from({ length: 8 }, (_, i) => ({ row: i + 1, userName: 'demo', input: { action: 'edit' as const, phoneNumber: num(i), phoneName: `Line${i}`, assignSkill: 'General' } }));
    const { status } = await jobs.create('alpha', rows, { ratePerMinute: 6000, concurrency: 2, teamRateLimitPerMinute: 120 });
    const done = await waitFor('the job to end', async () => ((await jobs.status('alpha', status.id))?.state === 'done' ? jobs.status('alpha', status.id) : undefined));
    await jobs.close();
    expect(done).toMatchObject({ finished: 8, counts: { applied: 8 } });
    // One booking per request CloudAgent saw, plus the two refused ones; all with the job share.
    expect(booked).toHaveLength(sim.control.calls().length + 2);
    expect(new Set(booked.map((b) => b.join(' ')))).toEqual(new Set(['alpha 120 60']));
  });
});

describe('bulk jobs survive a SIGKILL of the built Node edge', () => {
  const entry = join(import.meta.dirname, '..', '..', 'dist', 'main.js');
  function startEdge(dir: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [entry], {
      env: { ...edgeEnv(sim.url), EDGE_DATA_DIR: dir, BULK_JOB_RATE_PER_MINUTE: '5000', PORT: '0', HOST: '127.0.0.1', PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const url = /"msg":"listening","url":"([^"]+)"/.exec(out)?.[1];
        if (url) resolve({ child, url });
      });
      child.once('exit', (code) => reject(new Error(`the edge exited (${code}) before listening: ${out}`)));
    });
  }

  it('a job killed mid-run resumes when the edge starts again and applies every row exactly once', async () => {
    const total = 300;
    const dir = dataDir();
    sim.control.setFaults({ rates: { latency: 1 }, settings: { latency: { ms: 15 } }, actions: ['edit'] });
    const first = await startEdge(dir);
    const body = Array.from({ length: total }, (_, i) => skillRow(i)).join('\n');
    const res = await fetch(`${first.url}/bulk-jobs?userName=demo`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body });
    expect(res.status).toBe(202);
    const job = await json(res);
    await waitFor('some rows applied', async () => (sim.control.appliedCounts().length >= 60 ? true : undefined));
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    expect((await exited)[1]).toBe('SIGKILL');
    expect(sim.control.appliedCounts().length, 'the job ended before the kill').toBeLessThan(total);

    sim.control.clearFaults();
    const second = await startEdge(dir);
    try {
      const done = await waitFor('the resumed job to end', async () => {
        const status = await json(fetch(`${second.url}${job.url}`, { headers: auth }));
        return status.state === 'done' ? status : undefined;
      });
      // Rows in flight at the kill had landed; a skills-only edit cannot be verified by reading
      // back, so those few are reported "unknown" (truthfully) and never sent again.
      expect(done).toMatchObject({ finished: total, counts: { notApplied: 0, cancelled: 0 } });
      expect(done.counts.applied + done.counts.unknown).toBe(total);
      expect(done.counts.unknown).toBeLessThanOrEqual(4);
      // Per row, from the report: applied exactly once when reported applied; never twice. An
      // "unknown" row may not have landed at all (killed after journalling "sending", before sending).
      const report = (await (await fetch(`${second.url}${job.url}/report`, { headers: { ...auth, accept: 'application/x-ndjson' } })).text()).trim().split('\n').map((l) => JSON.parse(l) as { row: number; verdict: string });
      // Every row once, in input order, from an outcomes file the resumed run appended to.
      expect(report.map((line) => line.row)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(report.filter((line) => line.verdict === 'unknown')).toHaveLength(done.counts.unknown);
      for (const line of report) {
        const times = sim.control.timesApplied('edit', num(line.row - 1));
        if (line.verdict === 'applied') expect(times, `row ${line.row}`).toBe(1);
        else expect([line.verdict, times <= 1], `row ${line.row}`).toEqual(['unknown', true]);
      }
      console.log(`bulk job SIGKILL test: ${total} rows, ${done.counts.applied} applied, ${done.counts.unknown} unknown (in flight at the kill, skills cannot be read back), none sent twice`);
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }
  }, 90_000);
});
