import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobRow, JobRowOutcome } from '../src/index.js';
import { FileJobStorage } from '../src/node.js';
import { defineJournalStoreContract } from './journal-store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'caphone-job-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let jobs = 0;
let jobDir = '';

defineJournalStoreContract('FileJobStorage.journal (@cloudagent-phone/bulk/node)', {
  create: () => {
    jobDir = join(dir, `contract-${++jobs}`);
    mkdirSync(jobDir);
    return new FileJobStorage(jobDir).journal;
  },
  reopen: () => new FileJobStorage(jobDir).journal,
});

const outcome = (row: number): JobRowOutcome => ({ row, outcome: 'success', verdict: 'applied', message: `Phone number ${row} updated "as asked"`, requestId: `req-${row}`, attempts: 1 });

describe('FileJobStorage writes', () => {
  it('writes a turn\'s journal lines in one write at its end, and a batch of outcomes in one write; each caller resolves only once its line is in the file', async () => {
    const storage = await FileJobStorage.create(join(dir, 'turn'), []);
    const journalPath = join(storage.dir, 'journal.jsonl');
    const outcomesPath = join(storage.dir, 'outcomes.ndjson');
    const journalSeen: string[] = [];
    const outcomesSeen: string[] = [];
    const pending = [];
    for (let row = 1; row <= 10; row++) {
      pending.push(Promise.resolve(storage.journal.append(`{"r":${row},"h":${row},"s":"sending"}\n`)).then(() => journalSeen.push(readFileSync(journalPath, 'utf8'))));
      pending.push(storage.recordOutcome(outcome(row)).then(() => outcomesSeen.push(readFileSync(outcomesPath, 'utf8'))));
    }
    await Promise.all(pending);
    expect(storage.writes).toBe(2);
    expect(journalSeen).toHaveLength(10);
    for (const text of journalSeen) expect(text.trim().split('\n')).toHaveLength(10);
    expect(outcomesSeen).toHaveLength(10);
    for (const text of outcomesSeen) expect(text.trim().split('\n').map((line) => JSON.parse(line) as JobRowOutcome)).toEqual(Array.from({ length: 10 }, (_, i) => outcome(i + 1)));
    // A later batch is a write of its own.
    await storage.recordOutcome(outcome(11));
    expect(storage.writes).toBe(3);
    const read: JobRowOutcome[] = [];
    for await (const o of storage.outcomes()) read.push(o);
    expect(read.map((o) => o.row)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    storage.close();
  });

  it('holds outcomes for the rows that settle after them, but never for long: 50 ms, or 256 waiting', async () => {
    const storage = await FileJobStorage.create(join(dir, 'held'), []);
    // Outcomes one turn apart still share a write.
    const spread = [];
    for (let row = 1; row <= 5; row++) {
      spread.push(storage.recordOutcome(outcome(row)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const started = performance.now();
    await Promise.all(spread);
    expect(storage.writes).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
    // 256 waiting go at the end of their turn, without the wait.
    const many = Array.from({ length: 300 }, (_, i) => storage.recordOutcome(outcome(100 + i)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(storage.writes).toBe(2);
    await Promise.all(many);
    storage.close();
  });

  it('writes what is still waiting when closed', async () => {
    const storage = await FileJobStorage.create(join(dir, 'closing'), []);
    const recorded = storage.recordOutcome(outcome(1));
    storage.close();
    expect(readFileSync(join(storage.dir, 'outcomes.ndjson'), 'utf8')).toBe(`${JSON.stringify(outcome(1))}\n`);
    await expect(recorded).resolves.toBeUndefined();
  });

  it('rejects every caller of a turn whose write failed (nothing is taken as stored)', async () => {
    const storage = new FileJobStorage(join(dir, 'no-such-directory'));
    const results = await Promise.allSettled([storage.journal.append('{"r":1,"h":1,"s":"sending"}\n'), storage.recordOutcome(outcome(1))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ENOENT' });
  });
});

describe('FileJobStorage.rowsWithOutcomes (the report, in row order)', () => {
  const row = (n: number): JobRow => ({ row: n, userName: 'acme', input: { action: 'edit', phoneNumber: `+9170${String(n).padStart(8, '0')}`, phoneName: `Line${n}`, phoneNameNew: `Desk${n}` } });
  const said = (n: number, message: string): JobRowOutcome => ({ ...outcome(n), message });
  /** A small seeded PRNG (mulberry32): the same file every run. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** The report as it was before: every outcome in a Map, the last one that parses winning. */
  function expected(rows: number, text: string): (JobRowOutcome | undefined)[] {
    const last = new Map<number, JobRowOutcome>();
    for (const line of text.split('\n')) {
      try {
        const o = JSON.parse(line) as JobRowOutcome;
        last.set(o.row, o);
      } catch {
        // torn or blank
      }
    }
    return Array.from({ length: rows }, (_, i) => last.get(i + 1));
  }

  /**
   * An outcomes file as jobs leave them: rows finishing a few out of order (16 at once), some
   * recorded twice close together, some never (pending), one very slow row, a line torn by a crash
   * with the next run's first line glued to it, a blank line, a resumed run recording rows again at
   * the end, and a torn last line.
   */
  function messyOutcomes(rows: number, seed: number): string {
    const next = random(seed);
    const order = Array.from({ length: rows }, (_, i) => i + 1);
    for (let i = 0; i < order.length; i++) {
      const j = Math.min(order.length - 1, i + Math.floor(next() * 16));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lines: string[] = [];
    const slow = 50;
    let slowRecorded = false;
    for (const n of order) {
      if (n === slow || next() < 0.03) continue;
      lines.push(JSON.stringify(outcome(n)));
      if (next() < 0.02) lines.push(JSON.stringify(said(n, 'recorded again')));
      if (!slowRecorded && lines.length >= 3000) {
        lines.push(JSON.stringify(said(slow, 'the slow row')));
        slowRecorded = true;
      }
    }
    const glued = 1 + Math.floor(next() * rows);
    lines.splice(Math.floor(lines.length / 2), 0, `{"row":${glued},"outcome":"succ${JSON.stringify(said(glued + 1, 'lost with the torn line'))}`, '');
    for (let k = 0; k < 20; k++) {
      const n = 1 + Math.floor(next() * rows);
      lines.push(JSON.stringify({ ...said(n, 'already applied (resumed)'), outcome: 'already_applied' }));
    }
    return `${lines.join('\n')}\n{"row":${rows},"outcome":"suc`;
  }

  async function report(storage: FileJobStorage, options: Parameters<FileJobStorage['rowsWithOutcomes']>[0] = {}) {
    const seen: { row: number; outcome: JobRowOutcome | undefined }[] = [];
    for await (const line of storage.rowsWithOutcomes(options)) seen.push({ row: line.row.row, outcome: line.outcome });
    return seen;
  }

  it.each([1, 16, 1024])('gives every row once, in order, with its last outcome, whatever order they were recorded in (window %i)', async (windowRows) => {
    const rows = 5000;
    const storage = await FileJobStorage.create(join(dir, `report-${windowRows}`), Array.from({ length: rows }, (_, i) => row(i + 1)));
    const text = messyOutcomes(rows, windowRows);
    writeFileSync(join(storage.dir, 'outcomes.ndjson'), text);
    const want = expected(rows, text);
    expect(want.filter((o) => o === undefined).length, 'some rows are pending').toBeGreaterThan(100);
    expect(want[49]?.message, 'the slow row').toBe('the slow row');
    expect(want.filter((o) => o?.outcome === 'already_applied').length, 'rows recorded again at the end').toBeGreaterThan(15);

    const stats = { heldAtMost: 0 };
    const seen = await report(storage, { windowRows, stats });
    expect(seen.map((s) => s.row)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    expect(seen.map((s) => s.outcome)).toEqual(want);
    // The window plus the outcomes recorded far out of order (the slow row, the resumed run's). A
    // window narrower than the rows in flight keeps more aside (correct all the same, above).
    if (windowRows === 1024) expect(stats.heldAtMost).toBeLessThanOrEqual(windowRows + 1 + 25);
  });

  it('holds as many outcomes for 30,000 rows as for 3,000 (memory flat in the rows)', async () => {
    const held: number[] = [];
    for (const rows of [3000, 30_000]) {
      const storage = await FileJobStorage.create(join(dir, `flat-${rows}`), Array.from({ length: rows }, (_, i) => row(i + 1)));
      const order = Array.from({ length: rows }, (_, i) => i + 1);
      // Sixteen at a time, finishing in reverse: as out of order as a job's rows get.
      for (let i = 0; i < rows; i += 16) order.splice(i, 16, ...order.slice(i, i + 16).reverse());
      writeFileSync(join(storage.dir, 'outcomes.ndjson'), order.map((n) => `${JSON.stringify(outcome(n))}\n`).join(''));
      const stats = { heldAtMost: 0 };
      const seen = await report(storage, { stats });
      expect(seen.map((s) => s.row)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
      expect(seen.every((s) => s.outcome?.row === s.row)).toBe(true);
      held.push(stats.heldAtMost);
    }
    expect(held[1]).toBe(held[0]);
    expect(held[1]).toBeLessThanOrEqual(1024 + 16);
  });

  it('reports the outcomes file as it was when the report began: rows finished since stay pending', async () => {
    const storage = await FileJobStorage.create(join(dir, 'snapshot'), Array.from({ length: 3 }, (_, i) => row(i + 1)));
    await storage.recordOutcome(outcome(1));
    const lines = storage.rowsWithOutcomes()[Symbol.asyncIterator]();
    const first = await lines.next();
    expect(first.value).toEqual({ row: row(1), outcome: outcome(1) });
    await storage.recordOutcome(outcome(2));
    expect((await lines.next()).value).toEqual({ row: row(2), outcome: undefined });
    expect((await lines.next()).value).toEqual({ row: row(3), outcome: undefined });
    expect((await lines.next()).done).toBe(true);
    storage.close();
  });

  it('gives every row without an outcome before any is recorded (no outcomes file yet)', async () => {
    const storage = await FileJobStorage.create(join(dir, 'none-yet'), Array.from({ length: 2 }, (_, i) => row(i + 1)));
    expect(await report(storage)).toEqual([
      { row: 1, outcome: undefined },
      { row: 2, outcome: undefined },
    ]);
  });
});
