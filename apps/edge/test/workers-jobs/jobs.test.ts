import { createExecutionContext, introspectWorkflowInstance, runInDurableObject } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppliedMutation, CallRecord } from '@cloudagent-phone/simulator';
import jobsWorker from '../../src/jobs-worker.js';
import { TEAM_TOKENS } from '../suite/fixtures.js';
import { jobNumber } from './fixtures.js';
import { env, jobsRequest, keyedJobId, postJob, renameRow, report, sim, status, waitFor, type JobBody } from './harness.js';

// Bulk jobs inside workerd: the bulk-jobs Worker's routes, its BulkJob Durable Object (SQLite) and
// its Workflow (miniflare's Workflows), against the simulator on a loopback port.
beforeEach(async () => {
  await sim.reset();
});

// The Worker's request log lines (JSON, one per request) are dropped; the counts the big job prints are kept.
const print = console.log.bind(console);
beforeAll(() => {
  vi.spyOn(console, 'log').mockImplementation((line: unknown, ...rest: unknown[]) => {
    if (!(typeof line === 'string' && line.startsWith('{"level"'))) print(line, ...rest);
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('a bulk job on Workers', () => {
  it('runs to the end through its Workflow: 202 with its URL, counts, the report in input order, each row applied once', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => renameRow(10_000 + i));
    rows.push({ phoneNumber: jobNumber(10030), phoneName: 'NotItsName', phoneNameNew: 'Xy' });
    const id = keyedJobId('alpha', 'small-1');
    await using instance = await introspectWorkflowInstance(env.BULK_JOB_WORKFLOW, id);
    const res = await postJob(rows, '&ratePerMinute=6000', { key: 'small-1' });
    expect(res.status, await res.clone().text()).toBe(202);
    const job = (await res.json()) as JobBody & { url: string };
    expect(job).toMatchObject({ id, url: `/bulk-jobs/${id}`, total: 31, state: 'queued', ratePerMinute: 6000, concurrency: 4 });
    await instance.waitForStatus('complete');
    const done = await status(id);
    expect(done).toMatchObject({ state: 'done', finished: 31, counts: { applied: 30, notApplied: 1, unknown: 0, cancelled: 0 } });
    const lines = await report(id);
    expect(lines.map((l) => l.row)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(lines[30]).toMatchObject({ verdict: 'not_applied' });
    const applied = await sim.editsApplied();
    for (let i = 0; i < 30; i++) expect(applied.get(jobNumber(10_000 + i))).toBe(1);
    expect(applied.has(jobNumber(10030))).toBe(false);
    // The same key again: the same job, not a second one.
    const again = await postJob(rows, '', { key: 'small-1' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as JobBody).id).toBe(id);
  });
});

/**
 * What "never sent twice" means, checked on the simulator's log of calls: no edit of a number after
 * the call that applied it, and no edit of a number after a call whose connection dropped (it may
 * have landed) unless a read-back (v2 get) of that number came between. A 5xx before applying and
 * a 429 are CloudAgent's "not applied": sending again after them is allowed.
 */
function sentTwice(calls: CallRecord[], applied: AppliedMutation[]): string[] {
  const appliedBy = new Map(applied.filter((a) => a.action === 'edit').map((a) => [a.callId, a.before?.phoneNumber ?? '']));
  const landed = new Set<string>();
  const unproven = new Set<string>();
  const problems: string[] = [];
  for (const call of calls) {
    const number = call.params.phoneNumber ?? '';
    if (call.action === 'get') {
      unproven.delete(number);
      continue;
    }
    if (call.action !== 'edit') continue;
    if (landed.has(number)) problems.push(`${number}: edit ${call.id} after it was applied`);
    if (unproven.has(number)) problems.push(`${number}: edit ${call.id} after a dropped one, with no read-back between`);
    if (appliedBy.get(call.id) === number) landed.add(number);
    if (call.dropped) unproven.add(number);
  }
  return problems;
}

describe('bulk jobs on Workers: the rules around a job', () => {
  it('refuses a job with any bad row (400 naming each), an account not granted (403), a missing token (401): nothing sent', async () => {
    const bad = await postJob([renameRow(1), { phoneNumber: 'abc', phoneName: 'Line2', phoneNameNew: 'Yy' }], '');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['rows[2].phoneNumber']);
    const forbidden = await postJob([renameRow(1)], '', { team: 'beta' });
    expect(forbidden.status).toBe(403);
    const anonymous = await exports.default.fetch(new Request('https://edge.test/bulk-jobs?userName=demo', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: JSON.stringify(renameRow(1)) }));
    expect(anonymous.status).toBe(401);
    expect((await sim.calls()).filter((c) => c.action === 'edit')).toHaveLength(0);
  });

  it('a bad BULK_JOB_RATE_PER_MINUTE makes the jobs Worker misconfigured (503 naming the variable and its rule, never the value), not a silent default', async () => {
    const replaced = { ...env, BULK_JOB_RATE_PER_MINUTE: 'fast-canary' };
    const request = new Request('https://edge.test/bulk-jobs?userName=demo', { method: 'POST', headers: { authorization: `Bearer ${TEAM_TOKENS.alpha}`, 'content-type': 'application/x-ndjson' }, body: JSON.stringify(renameRow(1)) });
    const response = await jobsWorker.fetch(request as Parameters<typeof jobsWorker.fetch>[0], replaced, createExecutionContext());
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain('BULK_JOB_RATE_PER_MINUTE');
    expect(text).toContain('whole-number');
    expect(text).not.toContain('fast-canary');
    expect((await sim.calls()).filter((c) => c.action === 'edit')).toHaveLength(0);
  });

  it('reads a CSV body, and another team does not see the job', async () => {
    const csv = `phoneNumber,phoneName,phoneNameNew\n${[10_040, 10_041, 10_042].map((i) => `${jobNumber(i)},"Line${i}",Moved${i}`).join('\r\n')}\n`;
    const id = keyedJobId('alpha', 'csv-1');
    await using instance = await introspectWorkflowInstance(env.BULK_JOB_WORKFLOW, id);
    const res = await jobsRequest('/bulk-jobs?userName=demo', { method: 'POST', headers: { 'content-type': 'text/csv', 'idempotency-key': 'csv-1' }, body: csv });
    expect(res.status, await res.clone().text()).toBe(202);
    await instance.waitForStatus('complete');
    expect(await status(id), JSON.stringify(await report(id))).toMatchObject({ state: 'done', counts: { applied: 3 } });
    expect((await jobsRequest(`/bulk-jobs/${id}`, { team: 'gamma' })).status).toBe(404);
    expect((await jobsRequest('/bulk-jobs/not-an-id')).status).toBe(404);
  });

  it('concurrent first requests with one Idempotency-Key make one job and one Workflow', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => renameRow(10050 + i));
    const id = keyedJobId('alpha', 'race-1');
    await using instance = await introspectWorkflowInstance(env.BULK_JOB_WORKFLOW, id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => postJob(rows, '', { key: 'race-1' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as JobBody).id)));
    expect([...ids]).toEqual([id]);
    await instance.waitForStatus('complete');
    const applied = await sim.editsApplied();
    for (let i = 10050; i < 10055; i++) expect(applied.get(jobNumber(i))).toBe(1);
  });

  it('a 429 with a Retry-After longer than a few seconds: the job is paused (state, resumesAt), its Workflow sleeps durably, then sends the row again', async () => {
    await sim.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 8 }], actions: ['edit'] });
    const rows = Array.from({ length: 6 }, (_, i) => renameRow(10060 + i));
    const id = keyedJobId('alpha', 'pause-1');
    await using instance = await introspectWorkflowInstance(env.BULK_JOB_WORKFLOW, id);
    const res = await postJob(rows, '&concurrency=1&ratePerMinute=6000', { key: 'pause-1' });
    expect(res.status).toBe(202);
    // The first slice step ends as the pause begins (its result says so), and the job says paused.
    const first = (await instance.waitForStepResult({ name: 'rows 1-6 (1)' })) as { state: string; pausedForMs: number };
    expect(first.state).toBe('paused');
    expect(first.pausedForMs).toBeGreaterThan(5_000);
    const paused = await status(id);
    expect(paused.state).toBe('paused');
    expect(Date.parse(paused.resumesAt!) - Date.now()).toBeGreaterThan(1_000);
    expect(paused.finished).toBe(0);
    // After the durable sleep the next step sends the refused row and the rest.
    await instance.waitForStatus('complete');
    expect(await status(id)).toMatchObject({ state: 'done', counts: { applied: 6, notApplied: 0 } });
    const applied = await sim.editsApplied();
    for (let i = 10060; i < 10066; i++) expect(applied.get(jobNumber(i))).toBe(1);
    expect((await sim.calls()).filter((c) => c.action === 'edit')).toHaveLength(7);
  });

  it('DELETE cancels: no new row is sent, the rest are reported not sent, the Workflow ends', async () => {
    await sim.setFaults({ rates: { latency: 1 }, settings: { latency: { ms: 40 } }, actions: ['edit'] });
    const rows = Array.from({ length: 300 }, (_, i) => renameRow(10100 + i));
    const id = keyedJobId('alpha', 'cancel-1');
    await using instance = await introspectWorkflowInstance(env.BULK_JOB_WORKFLOW, id);
    // 50 rows a step (the smallest slice at 10 a minute is 50 rows): the cancel reaches a later slice too.
    expect((await postJob(rows, '&ratePerMinute=6000&concurrency=2', { key: 'cancel-1' })).status).toBe(202);
    await waitFor('a few rows applied', async () => ((await status(id)).finished >= 5 ? true : undefined));
    const cancel = await jobsRequest(`/bulk-jobs/${id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(202);
    expect(((await cancel.json()) as JobBody & { cancelRequested: boolean }).cancelRequested).toBe(true);
    await instance.waitForStatus('complete');
    const ended = await status(id);
    expect(ended.state).toBe('cancelled');
    expect(ended.finished).toBe(300);
    const applied = await sim.editsApplied();
    const appliedRows = rows.filter((r) => applied.get(r.phoneNumber) === 1).length;
    expect(ended.counts.applied).toBe(appliedRows);
    expect(ended.counts.cancelled).toBe(300 - appliedRows - ended.counts.notApplied - ended.counts.unknown);
    expect(ended.counts.cancelled).toBeGreaterThan(200);
    // Nothing more is sent after the end.
    const edits = (await sim.calls()).filter((c) => c.action === 'edit').length;
    await new Promise((r) => setTimeout(r, 300));
    expect((await sim.calls()).filter((c) => c.action === 'edit')).toHaveLength(edits);
  });

  it("books its requests in the team's limiter: a team of 8 a minute lets its jobs take at most 4, and its interactive calls the rest", async () => {
    const rows = Array.from({ length: 6 }, (_, i) => renameRow(10500 + i));
    const id = keyedJobId('gamma', 'share-1');
    const res = await postJob(rows, '', { key: 'share-1', team: 'gamma' });
    expect(res.status).toBe(202);
    // The job's rate is half the team's: 4 a minute, one request every 15 s.
    expect(((await res.json()) as JobBody).ratePerMinute).toBe(4);
    // Watched on the simulator, not over HTTP: a status request would count against gamma too.
    const edits = async () => (await sim.calls()).filter((c) => c.action === 'edit').length;
    await waitFor('the job to use its share', async () => ((await edits()) >= 3 ? true : undefined), 120_000);
    // In the team's window: the POST and the job's 3, which is the job's share of 4 (interactive
    // calls count in the window too, so they leave the job less, never the other way round).
    // Interactive calls find the other 4, then 429.
    const limiter = env.TEAM_RATE_LIMITER.get(env.TEAM_RATE_LIMITER.idFromName('gamma'));
    const log = await runInDurableObject(limiter, (_instance, state) => state.storage.get<{ admitted: number[] }>('admissions'));
    expect(log?.admitted).toHaveLength(4);
    const interactive = [];
    for (let i = 0; i < 5; i++) interactive.push((await jobsRequest(`/bulk-jobs/${id}`, { team: 'gamma' })).status);
    expect(interactive).toEqual([200, 200, 200, 200, 429]);
    // The job got no more than its share meanwhile (its next turn, 15 s after its third, is refused).
    await new Promise((r) => setTimeout(r, 16_000));
    expect(await edits()).toBe(3);
    const job = env.BULK_JOB.get(env.BULK_JOB.idFromString(id));
    await job.cancel('gamma');
  });
});

describe('a 10,000-row job with faults on a large share of requests', () => {
  it('ends with every row applied exactly once or reported truthfully, none sent twice, whatever the Workflow retries', async () => {
    const total = 10_000;
    const rows = Array.from({ length: total }, (_, i) => renameRow(i));
    // About 28% of edits: dropped before or after applying, a 500 before applying, a 429 (Retry-After 50 ms).
    await sim.setFaults({ rates: { 'drop-before': 0.07, 'drop-after': 0.07, 'server-error': 0.07, 'rate-limit': 0.07 }, settings: { 'rate-limit': { retryAfterSeconds: 0.05 } }, seed: 14, actions: ['edit'] });
    const id = keyedJobId('alpha', 'big-1');
    await using instance = await introspectWorkflowInstance(env.BULK_JOB_WORKFLOW, id);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
    });
    const res = await postJob(rows, '&ratePerMinute=100000&concurrency=8', { key: 'big-1' });
    expect(res.status, await res.clone().text()).toBe(202);

    // Twice mid-run, another run takes the job over, as when Workflows retries a step it thinks
    // timed out while the first attempt is still alive: the old attempt's next journal write is
    // refused, it stops, its step fails and is retried, and the retry settles what was in flight by
    // reading back.
    const job = env.BULK_JOB.get(env.BULK_JOB.idFromString(id));
    for (const at of [2_500, 6_000]) {
      await waitFor(`${at} rows finished`, async () => ((await status(id)).finished >= at ? true : undefined), 400_000);
      await job.beginSlice(0);
    }
    await instance.waitForStatus('complete');

    const done = await status(id);
    expect(done).toMatchObject({ state: 'done', total, finished: total, counts: { cancelled: 0 } });
    expect(done.counts.applied + done.counts.notApplied + done.counts.unknown).toBe(total);
    const lines = await report(id);
    expect(lines).toHaveLength(total);
    const applied = await sim.editsApplied();
    const wrong: string[] = [];
    for (const line of lines) {
      const times = applied.get(line.phoneNumber) ?? 0;
      const truthful = line.verdict === 'applied' ? times === 1 : line.verdict === 'not_applied' ? times === 0 : line.verdict === 'unknown' && times <= 1;
      if (!truthful) wrong.push(`row ${line.row}: reported ${line.verdict}, applied ${times} time(s)`);
    }
    expect(wrong).toEqual([]);
    expect([...applied.values()].filter((n) => n > 1)).toEqual([]);
    const calls = await sim.calls();
    expect(sentTwice(calls, await sim.applied())).toEqual([]);
    const faults = calls.filter((c) => c.action === 'edit' && c.fault).length;
    const edits = calls.filter((c) => c.action === 'edit').length;
    expect(faults / edits).toBeGreaterThan(0.2);
    console.log(
      `bulk job in workerd: ${total} rows, ${done.counts.applied} applied (each once, from the simulator's applied log), ${done.counts.notApplied} not applied, ${done.counts.unknown} unknown; ` +
        `${edits} edits sent, ${faults} of them faulted (${calls.filter((c) => c.fault === 'drop-before').length} dropped before, ${calls.filter((c) => c.fault === 'drop-after').length} dropped after applying, ` +
        `${calls.filter((c) => c.fault === 'server-error').length} 5xx, ${calls.filter((c) => c.fault === 'rate-limit').length} 429), ${calls.filter((c) => c.action === 'get').length} read-backs; none sent twice`,
    );
  });
});
