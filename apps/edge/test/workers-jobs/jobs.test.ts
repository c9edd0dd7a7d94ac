import { introspectWorkflowInstance } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppliedMutation, CallRecord } from '@cloudagent-phone/simulator';
import { jobNumber } from './fixtures.js';
import { env, keyedJobId, postJob, renameRow, report, sim, status, waitFor, type JobBody } from './harness.js';

// Bulk jobs inside workerd: the bulk-jobs Worker's routes, its BulkJob Durable Object (SQLite) and
// its Workflow (miniflare's Workflows), against the simulator on a loopback port.
beforeEach(async () => {
  await sim.reset();
});

describe('a bulk job on Workers', () => {
  it('runs to the end through its Workflow: 202 with its URL, counts, the report in input order, each row applied once', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => renameRow(i));
    rows.push({ phoneNumber: jobNumber(30), phoneName: 'NotItsName', phoneNameNew: 'Xy' });
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
    for (let i = 0; i < 30; i++) expect(applied.get(jobNumber(i))).toBe(1);
    expect(applied.has(jobNumber(30))).toBe(false);
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
