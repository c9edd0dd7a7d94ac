import { createClient, type PhoneClient } from '@cloudagent-phone/transport';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Journal, MemoryJournalStore, ROW_STATE, RowPool, runRow, type RowRun } from '../src/index.js';

const USER = 'bulk_user';
const KEY = 'KK_canary_bulk_key_0001';
const num = (prefix: string, i: number) => `+91${prefix}${String(i).padStart(6, '0')}`;
const seed = (count: number) => Array.from({ length: count }, (_, i) => ({ phoneNumber: num('7000', i), phoneName: `Line${i}` }));
const move = (i: number) => ({ action: 'edit' as const, phoneNumber: num('7000', i), phoneName: `Line${i}`, phoneNumberNew: num('8000', i), phoneNameNew: `Moved_${i}` });

let sim: RunningSimulator;
let client: PhoneClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: seed(200), phoneNumberLimit: 1000 });
  // node:http, so the client can read back (v2 get has a body).
  client = createClient({ userName: USER, apiKey: KEY, baseUrl: sim.url, transport: createNodeHttpTransport(), timeoutMs: 10_000 });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset(seed(200)));

describe('runRow', () => {
  it('sends a new row once, journalling sending before and the outcome after', async () => {
    const store = new MemoryJournalStore();
    const journal = await Journal.open(store);
    const run = await runRow(client, journal, { row: 1, hash: 5, input: move(1), previous: ROW_STATE.none });
    expect(run).toMatchObject({ via: 'sent', step: { step: 'done' } });
    expect(sim.control.timesApplied('edit', num('7000', 1))).toBe(1);
    await journal.flushed();
    const lines = store.text.join('').trim().split('\n').slice(1);
    expect(lines).toEqual(['{"r":1,"h":5,"s":"sending"}', '{"r":1,"h":5,"s":"done","k":"success"}']);
    expect(journal.rows.state(1)).toBe(ROW_STATE.applied);
  });

  it('a row an earlier run left "sending" and that did land is settled by reading back, not sent again', async () => {
    await client.run(move(2)); // the earlier run's request, which landed before that run died
    const journal = await Journal.open(new MemoryJournalStore());
    const run = await runRow(client, journal, { row: 2, hash: 9, input: move(2), previous: ROW_STATE.sending });
    expect(run).toMatchObject({ via: 'settled', applied: true, readBack: 'applied' });
    expect(sim.control.timesApplied('edit', num('7000', 2))).toBe(1);
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(1);
  });

  it('a row left "sending" that never landed is sent, once, after the read-back proves it', async () => {
    const journal = await Journal.open(new MemoryJournalStore());
    const run = await runRow(client, journal, { row: 3, hash: 9, input: move(3), previous: ROW_STATE.sending });
    expect(run).toMatchObject({ via: 'sent', readBack: 'not_applied' });
    expect(sim.control.timesApplied('edit', num('7000', 3))).toBe(1);
  });

  it('with a journal that batches per event-loop turn, no request leaves before its row\'s "sending" is appended', async () => {
    const store = new MemoryJournalStore();
    const journal = await Journal.open(store, { schedule: setImmediate });
    const early: number[] = [];
    // The client is where a request leaves: at that moment the row's line must be in the store.
    const checking: PhoneClient = Object.assign(Object.create(client) as PhoneClient, {
      run(input: Parameters<PhoneClient['run']>[0]) {
        const row = Number((input as { phoneNameNew: string }).phoneNameNew.slice('Moved_'.length)) + 1;
        if (!store.text.join('').includes(`{"r":${row},"h":${row},"s":"sending"}`)) early.push(row);
        return client.run(input);
      },
    });
    const pool = new RowPool(8);
    for (let i = 0; i < 80; i++) {
      await pool.start(async () => {
        await runRow(checking, journal, { row: i + 1, hash: i + 1, input: move(i), previous: ROW_STATE.none });
      });
    }
    await pool.drain();
    await journal.close();
    expect(early).toEqual([]);
    expect(sim.control.appliedCounts().filter((c) => c.action === 'edit')).toHaveLength(80);
    // Rows freed by answers of the same turn shared appends: fewer appends than rows.
    expect(store.appends).toBeLessThan(80);
  });

  it('under drops before and after applying, 5xx and garbled answers, no row is applied twice and every applied row is journalled as such', async () => {
    sim.control.setFaults({ rates: { 'drop-after': 0.15, 'drop-before': 0.1, 'server-error': 0.1, garbled: 0.05 }, seed: 7, actions: ['edit'] });
    const journal = await Journal.open(new MemoryJournalStore());
    const pool = new RowPool(8);
    const runs = new Map<number, RowRun>();
    for (let i = 0; i < 120; i++) {
      await pool.start(async () => {
        runs.set(i, await runRow(client, journal, { row: i + 1, hash: i, input: move(i), previous: ROW_STATE.none }));
      });
    }
    await pool.drain();
    expect(runs.size).toBe(120);
    let applied = 0;
    for (let i = 0; i < 120; i++) {
      const times = sim.control.timesApplied('edit', num('7000', i));
      expect(times, `row ${i + 1}`).toBeLessThanOrEqual(1);
      const state = journal.rows.state(i + 1);
      // The journal never says "applied" of a row that was not, nor "not applied" of one that was.
      if (state === ROW_STATE.applied) expect(times, `row ${i + 1}`).toBe(1);
      if (state === ROW_STATE.notApplied) expect(times, `row ${i + 1}`).toBe(0);
      applied += times;
    }
    expect(applied).toBeGreaterThan(60);
    expect(sim.control.calls().some((c) => c.fault === 'drop-after')).toBe(true);
  });
});
