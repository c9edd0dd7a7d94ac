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
  it('writes what one turn hands over in one write per file, and resolves each caller only once its line is in the file', async () => {
    const storage = await FileJobStorage.create(join(dir, 'turn'), []);
    const journalPath = join(storage.dir, 'journal.jsonl');
    const outcomesPath = join(storage.dir, 'outcomes.ndjson');
    const seen: { journal: string; outcomes: string }[] = [];
    const inFiles = () => seen.push({ journal: readFileSync(journalPath, 'utf8'), outcomes: readFileSync(outcomesPath, 'utf8') });
    const pending = [];
    for (let row = 1; row <= 10; row++) {
      pending.push(Promise.resolve(storage.journal.append(`{"r":${row},"h":${row},"s":"sending"}\n`)).then(inFiles));
      pending.push(storage.recordOutcome(outcome(row)).then(inFiles));
    }
    await Promise.all(pending);
    expect(storage.writes).toBe(2);
    for (const files of seen) {
      expect(files.journal.trim().split('\n')).toHaveLength(10);
      expect(files.outcomes.trim().split('\n').map((line) => JSON.parse(line) as JobRowOutcome)).toEqual(Array.from({ length: 10 }, (_, i) => outcome(i + 1)));
    }
    // A later turn is a write of its own.
    await storage.recordOutcome(outcome(11));
    expect(storage.writes).toBe(3);
    const read: JobRowOutcome[] = [];
    for await (const o of storage.outcomes()) read.push(o);
    expect(read.map((o) => o.row)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
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
