import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobRowOutcome } from '../src/index.js';
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
