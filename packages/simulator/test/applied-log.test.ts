import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppliedLog } from '../src/applied-log.js';
import { DEFAULT_APPLIED_LOG_LIMIT, type Simulator } from '../src/index.js';
import { startSimulator, type RunningSimulator } from '../src/node.js';
import { writeStateFile } from '../src/state-file.js';
import { KEY, USER, makeSimulator, v2 } from './helpers.js';

// The applied log keeps complete counts per (action, number) and only the most recent mutations in
// full, so a long run stays cheap to inspect while "nothing was applied twice" is still provable.

/** `n` renames of one record, back and forth, each a real applied edit. */
async function renames(sim: Simulator, n: number, number = '9876543210') {
  for (let i = 0; i < n; i++) {
    const [from, to] = i % 2 === 0 ? ['Desk1', 'Desk1b'] : ['Desk1b', 'Desk1'];
    const r = await v2(sim, { action: 'edit', userName: USER, phoneNumber: number, phoneName: from, phoneNameNew: to });
    expect(r.json).toEqual({ status: 'success', message: expect.any(String) });
  }
}

const control = (sim: Simulator, path: string) => sim.fetch(new Request(`http://sim.test/__simulator/${path}`));

describe('AppliedLog', () => {
  const mutation = (callId: number, action: 'create' | 'edit' | 'delete', phoneNumber: string) => ({
    callId,
    version: 'v2' as const,
    action,
    at: callId,
    ...(action === 'create' ? {} : { before: { phoneNumber, phoneName: 'Old', skills: [] } }),
    ...(action === 'delete' ? {} : { after: { phoneNumber: action === 'edit' ? `${phoneNumber}9` : phoneNumber, phoneName: 'New', skills: [] } }),
  });

  it('keeps the most recent `limit` in full and counts every one, by the number each request addressed', () => {
    const log = new AppliedLog(3);
    for (let i = 1; i <= 10; i++) log.record(mutation(i, 'edit', `n${i % 4}`));
    log.record(mutation(11, 'create', 'n1'));
    log.record(mutation(12, 'delete', 'n1'));
    expect(log.recent().map((m) => m.callId)).toEqual([10, 11, 12]);
    expect(log.total).toBe(12);
    // Edits count under the number they addressed, not the one they moved it to.
    expect(log.timesApplied('edit', 'n1')).toBe(3);
    expect(log.timesApplied('edit', 'n19')).toBe(0);
    expect(log.timesApplied('create', 'n1')).toBe(1);
    expect(log.timesApplied('delete', 'n1')).toBe(1);
    expect(log.counts().reduce((sum, c) => sum + c.count, 0)).toBe(12);
    expect(log.summary()).toEqual({
      total: 12,
      byAction: { create: 1, edit: 10, delete: 1 },
      repeated: [
        { action: 'edit', phoneNumber: 'n1', count: 3 },
        { action: 'edit', phoneNumber: 'n2', count: 3 },
        { action: 'edit', phoneNumber: 'n3', count: 2 },
        { action: 'edit', phoneNumber: 'n0', count: 2 },
      ],
      windowLimit: 3,
      droppedFromWindow: 9,
    });
  });

  it('limit 0 keeps no entry in full and still counts', () => {
    const log = new AppliedLog(0);
    log.record(mutation(1, 'create', 'a'));
    expect(log.recent()).toEqual([]);
    expect(log.timesApplied('create', 'a')).toBe(1);
    expect(log.summary().droppedFromWindow).toBe(1);
  });

  it('hands out copies: changing what it returned changes nothing inside', () => {
    const log = new AppliedLog(5);
    log.record(mutation(1, 'edit', 'a'));
    log.recent()[0]!.before!.skills.push('X');
    log.counts()[0]!.count = 99;
    expect(log.recent()[0]!.before!.skills).toEqual([]);
    expect(log.timesApplied('edit', 'a')).toBe(1);
  });

  it('a number like __proto__ or constructor is counted like any other', () => {
    const log = new AppliedLog(5);
    for (const n of ['__proto__', 'constructor', 'toString', '__proto__']) log.record(mutation(1, 'delete', n));
    expect(log.timesApplied('delete', '__proto__')).toBe(2);
    expect(log.timesApplied('delete', 'hasOwnProperty')).toBe(0);
  });
});

describe('the simulator over a long run', () => {
  it(`keeps ${DEFAULT_APPLIED_LOG_LIMIT} applied mutations in full by default`, () => {
    expect(DEFAULT_APPLIED_LOG_LIMIT).toBe(10_000);
    expect(makeSimulator().state.appliedSummary().windowLimit).toBe(DEFAULT_APPLIED_LOG_LIMIT);
  });

  it('applied() holds the window, the counts hold everything, /state stays small', async () => {
    const sim = makeSimulator({ appliedLogLimit: 20, controlRoutes: true });
    await renames(sim, 300);
    expect(sim.control.applied()).toHaveLength(20);
    expect(sim.control.applied().at(-1)?.callId).toBe(sim.control.calls().at(-1)?.id);
    expect(sim.control.applyCount()).toBe(300);
    expect(sim.control.timesApplied('edit', '9876543210')).toBe(300);
    expect(sim.control.appliedCounts()).toEqual([{ action: 'edit', phoneNumber: '9876543210', count: 300 }]);

    const state = (await (await control(sim, 'state')).json()) as { applied: unknown[]; appliedSummary: unknown };
    expect(state.applied).toHaveLength(20);
    expect(state.appliedSummary).toEqual({
      total: 300,
      byAction: { create: 0, edit: 300, delete: 0 },
      repeated: [{ action: 'edit', phoneNumber: '9876543210', count: 300 }],
      windowLimit: 20,
      droppedFromWindow: 280,
    });
  });

  it('GET /__simulator/applied-counts gives the complete counts, narrowed by action and number', async () => {
    const sim = makeSimulator({ appliedLogLimit: 1, controlRoutes: true });
    await renames(sim, 3);
    expect((await v2(sim, { action: 'create', userName: USER, phoneNumber: '5550001', phoneName: 'New1' })).status).toBe(200);
    expect(await (await control(sim, 'applied-counts')).json()).toEqual([
      { action: 'create', phoneNumber: '5550001', count: 1 },
      { action: 'edit', phoneNumber: '9876543210', count: 3 },
    ]);
    expect(await (await control(sim, 'applied-counts?action=edit&phoneNumber=9876543210')).json()).toEqual([{ action: 'edit', phoneNumber: '9876543210', count: 3 }]);
    expect(await (await control(sim, 'applied-counts?action=delete')).json()).toEqual([]);
  });

  it('reset clears the counts with the window', async () => {
    const sim = makeSimulator({ appliedLogLimit: 5 });
    await renames(sim, 8);
    sim.control.reset();
    expect(sim.control.applyCount()).toBe(0);
    expect(sim.control.appliedCounts()).toEqual([]);
    expect(sim.control.applied()).toEqual([]);
  });

  it.each([-1, 1.5, Number.NaN])('appliedLogLimit %s is refused, naming the option and the rule', (limit) => {
    expect(() => makeSimulator({ appliedLogLimit: limit })).toThrow(/appliedLogLimit must be a whole number of 0 or more/);
  });
});

describe('the counts in a state file', () => {
  let dir: string | undefined;
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('survive a restart, with the window, and never hold the key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-applied-'));
    const file = join(dir, 'state.json');
    const records = [{ phoneNumber: '9876543210', phoneName: 'Desk1' }];
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file, records, appliedLogLimit: 4 });
    await renames(sim, 10);
    await sim.close();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.applied).toHaveLength(4);
    expect(saved.appliedCounts).toEqual([{ action: 'edit', phoneNumber: '9876543210', count: 10 }]);
    expect(JSON.stringify(saved)).not.toContain(KEY);
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file, appliedLogLimit: 4 });
    expect(sim.control.applyCount()).toBe(10);
    expect(sim.control.timesApplied('edit', '9876543210')).toBe(10);
    expect(sim.control.applied()).toHaveLength(4);
  });

  it('a file written before the counts were kept gets them rebuilt from its log', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-applied-'));
    const file = join(dir, 'state.json');
    const applied = [1, 2, 3].map((callId) => ({ callId, version: 'v2' as const, action: 'delete' as const, at: 0, before: { phoneNumber: `555000${callId}`, phoneName: 'x', skills: [] } }));
    writeStateFile(file, { version: 1, records: [], tokens: { generatedAt: [] }, applied });
    sim = await startSimulator({ userName: USER, apiKey: KEY, stateFile: file, appliedLogLimit: 2 });
    expect(sim.control.applyCount()).toBe(3);
    expect(sim.control.timesApplied('delete', '5550001')).toBe(1);
    expect(sim.control.applied().map((m) => m.callId)).toEqual([2, 3]);
  });

  it('refuses a file whose counts are malformed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-applied-'));
    const file = join(dir, 'state.json');
    writeStateFile(file, { version: 1, records: [], tokens: { generatedAt: [] }, applied: [], appliedCounts: [{ action: 'rename' as 'edit', phoneNumber: '1', count: 1 }] });
    await expect(startSimulator({ stateFile: file })).rejects.toThrow(/not a simulator state file/);
  });
});
