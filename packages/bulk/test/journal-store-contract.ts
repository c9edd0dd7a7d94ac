import { describe, expect, it } from 'vitest';
import type { JournalStore } from '../src/journal-store.js';

/**
 * What the Journal relies on from a JournalStore, run against the memory store and the file store
 * (test/journal-store.test.ts): a new store has no lines; `lines()` gives back every appended line
 * in order without its newline, however the appends split them; an empty append adds nothing.
 * `reopen` (a store that outlives its process): another store on the same backing, opened after
 * this one closed, sees every line, and appends after them.
 */
export function defineJournalStoreContract(name: string, contract: { create: () => JournalStore; reopen?: () => JournalStore }): void {
  const linesOf = async (store: JournalStore) => {
    const lines: string[] = [];
    for await (const line of store.lines()) lines.push(line);
    return lines;
  };

  describe(`JournalStore contract: ${name}`, () => {
    it('has no lines when new', async () => {
      expect(await linesOf(contract.create())).toEqual([]);
    });

    it('gives back every appended line in order, without its newline', async () => {
      const store = contract.create();
      await store.append('{"r":1,"s":"sending"}\n');
      await store.append('{"r":1,"s":"done"}\n');
      await store.append('{"r":2,"s":"sending"}\n');
      expect(await linesOf(store)).toEqual(['{"r":1,"s":"sending"}', '{"r":1,"s":"done"}', '{"r":2,"s":"sending"}']);
      await store.close();
    });

    it('splits one append of several lines into those lines, text beyond ASCII intact', async () => {
      const store = contract.create();
      await store.append('{"r":1,"m":"détails"}\n{"r":2,"m":"₹ 0"}\n{"r":3}\n');
      expect(await linesOf(store)).toEqual(['{"r":1,"m":"détails"}', '{"r":2,"m":"₹ 0"}', '{"r":3}']);
      await store.close();
    });

    it('adds nothing for an empty append', async () => {
      const store = contract.create();
      await store.append('');
      await store.append('{"r":1}\n');
      await store.append('');
      expect(await linesOf(store)).toEqual(['{"r":1}']);
      await store.close();
    });

    const { reopen } = contract;
    if (reopen) {
      it('outlives its store: reopened after a close, it has every line and appends after them', async () => {
        const first = contract.create();
        await first.append('{"r":1}\n{"r":2}\n');
        await first.close();
        const second = reopen();
        expect(await linesOf(second)).toEqual(['{"r":1}', '{"r":2}']);
        await second.append('{"r":3}\n');
        await second.close();
        expect(await linesOf(reopen())).toEqual(['{"r":1}', '{"r":2}', '{"r":3}']);
      });
    }
  });
}
