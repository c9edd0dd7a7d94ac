// The one contract every UsageStore keeps, runtime-neutral: run on Node against the memory and file
// stores (test/node/usage-store.test.ts) and inside workerd against the Durable Object aggregator
// (test/workerd/usage-store.test.ts).
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, hourOf, keepFrom, type UsageRow } from '../src/usage/usage-row.js';
import type { UsageStore } from '../src/usage/usage-store.js';

export interface UsageBacking {
  /** A writer onto the backing; each call is a separate writer (another process, another isolate). */
  open(): UsageStore;
  cleanup?(): Promise<void>;
}

const NOW = Date.UTC(2026, 11, 1, 15, 30);
const H = hourOf(NOW);
const KEEP = keepFrom(NOW);

const byId = (rows: readonly UsageRow[]) => Object.fromEntries(rows.map((r) => [JSON.stringify([r.hour, r.account, r.key]), r.count]));

export function usageStoreContract(name: string, makeBacking: () => Promise<UsageBacking> | UsageBacking): void {
  async function withBacking(test: (backing: UsageBacking) => Promise<void>) {
    const backing = await makeBacking();
    try {
      await test(backing);
    } finally {
      await backing.cleanup?.();
    }
  }

  describe(`UsageStore contract: ${name}`, () => {
    it('reads nothing from an empty store', () =>
      withBacking(async (b) => {
        expect(await b.open().read(KEEP)).toEqual([]);
      }));

    it('adds up counts per hour, account and key, and keeps different ones apart', () =>
      withBacking(async (b) => {
        const store = b.open();
        await store.add([{ hour: H, account: 'acme', key: 'call|v1|edit|success', count: 2 }, { hour: H, account: 'acme', key: 'quirk|plus-as-space', count: 1 }], KEEP);
        await store.add([{ hour: H, account: 'acme', key: 'call|v1|edit|success', count: 3 }, { hour: H - HOUR_MS, account: 'acme', key: 'call|v1|edit|success', count: 1 }, { hour: H, account: 'globex', key: 'call|v1|edit|success', count: 7 }], KEEP);
        expect(byId(await store.read(KEEP))).toEqual({
          [JSON.stringify([H, 'acme', 'call|v1|edit|success'])]: 5,
          [JSON.stringify([H, 'acme', 'quirk|plus-as-space'])]: 1,
          [JSON.stringify([H - HOUR_MS, 'acme', 'call|v1|edit|success'])]: 1,
          [JSON.stringify([H, 'globex', 'call|v1|edit|success'])]: 7,
        });
        expect((await store.read(KEEP)).every((r) => Number.isInteger(r.hour) && typeof r.count === 'number')).toBe(true);
      }));

    it('sums what several writers add, concurrently, exactly, and any writer reads the total', () =>
      withBacking(async (b) => {
        const writers = [b.open(), b.open(), b.open()];
        const expected: Record<string, number> = {};
        const batches: Promise<void>[] = [];
        for (let round = 0; round < 8; round++) {
          writers.forEach((w, i) => {
            const rows: UsageRow[] = [];
            for (let k = 0; k < 5; k++) {
              const row = { hour: H - ((round + k) % 3) * HOUR_MS, account: `acct-${k % 2}`, key: `call|v2|edit|success`, count: round + i + 1 };
              rows.push(row);
              const id = JSON.stringify([row.hour, row.account, row.key]);
              expected[id] = (expected[id] ?? 0) + row.count;
            }
            batches.push(w.add(rows, KEEP));
          });
        }
        await Promise.all(batches);
        const reader = b.open();
        expect(byId(await reader.read(KEEP))).toEqual(expected);
        expect(byId(await writers[0]!.read(KEEP))).toEqual(expected);
      }));

    it('keeps 35 days of hours: older ones are dropped for good, on add and on read', () =>
      withBacking(async (b) => {
        const store = b.open();
        await store.add(
          [
            { hour: KEEP - HOUR_MS, account: 'acme', key: 'call|v1|edit|success', count: 9 }, // older than 35 days: never kept
            { hour: KEEP, account: 'acme', key: 'call|v1|edit|success', count: 1 },
            { hour: H - DAY_MS, account: 'acme', key: 'call|v1|edit|success', count: 2 },
          ],
          KEEP,
        );
        expect(byId(await store.read(KEEP))).toEqual({ [JSON.stringify([KEEP, 'acme', 'call|v1|edit|success'])]: 1, [JSON.stringify([H - DAY_MS, 'acme', 'call|v1|edit|success'])]: 2 });
        // A day later the oldest hour has aged out too, and asking with the old window does not bring it back.
        expect(byId(await store.read(KEEP + DAY_MS))).toEqual({ [JSON.stringify([H - DAY_MS, 'acme', 'call|v1|edit|success'])]: 2 });
        expect(byId(await b.open().read(KEEP))).toEqual({ [JSON.stringify([H - DAY_MS, 'acme', 'call|v1|edit|success'])]: 2 });
      }));

    it('keeps account labels as given: any characters, the separator included', () =>
      withBacking(async (b) => {
        const accounts = ['Ünïcødé_账户', 'with|pipe', 'quote"and\\slash', '(none)'];
        await b.open().add(accounts.map((account) => ({ hour: H, account, key: 'call|local|create|rejected-locally', count: 1 })), KEEP);
        expect((await b.open().read(KEEP)).map((r) => r.account).sort()).toEqual([...accounts].sort());
      }));
  });
}
