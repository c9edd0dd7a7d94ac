import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, JournalFormatError, MemoryJournalStore, ROW_STATE, RowStates } from '../src/index.js';
import { FileJournalStore, openFileJournal, peekFileJournal } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'caphone-bulk-'));
/** Lets every queued microtask (and those they queue) run, as happens between two I/O callbacks. */
async function drainMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Journal (file store)', () => {
  it('writes sending before done, and a reopened journal knows each row by its last line', async () => {
    const path = join(dir, 'j1.jsonl');
    const j = await openFileJournal(path);
    expect(j.resumed).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await j.sending(1, 11);
    await j.done(1, 11, 'success', false);
    await j.sending(2, 22);
    await j.sending(3, 33);
    await j.done(3, 33, 'unknown', true);
    await j.sending(4, 44);
    await j.done(4, 44, 'conflict', false);
    await j.sending(5, 55);
    await j.done(5, 55, 'partial_success', false);
    await j.close();
    // A crash mid-write leaves a torn last line; it must not stop a resume.
    appendFileSync(path, '{"r":6,"h":6');
    expect(readFileSync(path, 'utf8')).not.toMatch(/phoneNumber|phoneName|apiKey|token/);

    const again = await openFileJournal(path);
    expect(again.resumed).toBe(true);
    expect([1, 2, 3, 4, 5, 6].map((r) => again.rows.state(r))).toEqual([
      ROW_STATE.applied,
      ROW_STATE.sending,
      ROW_STATE.ambiguous,
      ROW_STATE.notApplied,
      ROW_STATE.appliedPartly,
      ROW_STATE.none,
    ]);
    expect(again.rows.hash(3)).toBe(33);
    await again.close();
    expect((await peekFileJournal(path)).state(1)).toBe(ROW_STATE.applied);
  });

  it('a sending line is in the file by the time sending() resolves (what a SIGKILL would leave)', async () => {
    const path = join(dir, 'j2.jsonl');
    const j = await openFileJournal(path);
    await j.sending(7, 70);
    // Read with another handle while the journal is still open: no buffering in this process.
    expect(readFileSync(path, 'utf8')).toContain('{"r":7,"h":70,"s":"sending"}');
    await j.close();
  });

  it('a file store writes the rows of one synchronous stretch together, and the next row at once (not at the end of the turn)', async () => {
    const path = join(dir, 'j-turn.jsonl');
    const j = await Journal.open(new FileJournalStore(path));
    const sizeAfterHeader = statSync(path).size;
    const written: number[] = [];
    // Two rows started together share one write; a third, started once the microtasks ran out (as
    // by the next answer's I/O callback), is written as soon as its own stretch ends.
    void j.sending(1, 1).then(() => written.push(1));
    void j.sending(2, 2).then(() => written.push(2));
    expect(statSync(path).size).toBe(sizeAfterHeader);
    await drainMicrotasks();
    expect(written).toEqual([1, 2]);
    const afterTwo = statSync(path).size;
    expect(readFileSync(path, 'utf8').slice(sizeAfterHeader)).toBe('{"r":1,"h":1,"s":"sending"}\n{"r":2,"h":2,"s":"sending"}\n');
    void j.sending(3, 3).then(() => written.push(3));
    await drainMicrotasks();
    expect(written).toEqual([1, 2, 3]);
    expect(readFileSync(path, 'utf8').slice(afterTwo)).toBe('{"r":3,"h":3,"s":"sending"}\n');
    await j.close();
  });

  it('refuses a file that is not a journal, and treats an empty file as a new journal', async () => {
    const path = join(dir, 'not-a-journal.jsonl');
    writeFileSync(path, '{"hello":1}\n');
    const error = await openFileJournal(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalFormatError);
    expect((error as Error).message).toMatch(/not a caphone bulk-edit journal/);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const j = await openFileJournal(empty);
    expect(j.resumed).toBe(false);
    await j.close();
    expect(readFileSync(empty, 'utf8')).toMatch(/caphone-bulk-edit-journal/);
  });

  it('fails to open where the file cannot be created (before any row could be sent)', async () => {
    await expect(openFileJournal(join(dir, 'no-such-dir', 'j.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('Journal (any store)', () => {
  it('an outcome rides with the next sending (or close): one append per row in a steady run', async () => {
    const store = new MemoryJournalStore();
    const j = await Journal.open(store);
    const before = store.appends;
    await j.sending(1, 1);
    expect(j.done(1, 1, 'success', false)).toBe(ROW_STATE.applied);
    expect(store.text.join('')).not.toContain('"s":"done"');
    await j.sending(2, 2);
    expect(store.appends - before).toBe(2);
    expect(store.text.at(-1)).toBe('{"r":1,"h":1,"s":"done","k":"success"}\n{"r":2,"h":2,"s":"sending"}\n');
    j.done(2, 2, 'conflict', false);
    await j.close();
    expect(store.text.at(-1)).toBe('{"r":2,"h":2,"s":"done","k":"conflict"}\n');
    // What a resume sees had the process died before close: row 2 still "sending", so it is read back.
    const lost = new MemoryJournalStore();
    lost.text.push(...store.text.slice(0, -1));
    expect((await Journal.peek(lost)).state(2)).toBe(ROW_STATE.sending);
  });

  it('a few hundred outcomes are flushed without waiting for a sending', async () => {
    const store = new MemoryJournalStore();
    const j = await Journal.open(store);
    for (let r = 1; r <= 256; r++) j.done(r, r, 'success', false);
    await j.flushed();
    expect((await Journal.peek(store)).state(256)).toBe(ROW_STATE.applied);
  });

  it('rows started in the same turn share one append; each resolves only after it', async () => {
    const store = new MemoryJournalStore();
    const j = await Journal.open(store);
    const before = store.appends;
    await Promise.all([j.sending(1, 1), j.sending(2, 2), j.sending(3, 3)]);
    expect(store.appends - before).toBe(1);
    expect(store.text.at(-1)!.split('\n').filter(Boolean)).toHaveLength(3);
    await j.close();
    await expect(j.sending(4, 4)).rejects.toThrow(/closed/);
  });

  it('with a schedule, lines written until it fires share one append (setImmediate: one turn of the event loop)', async () => {
    const batched = new MemoryJournalStore();
    const j = await Journal.open(batched, { schedule: setImmediate });
    // The default (a microtask) for comparison: the same writes make one append each.
    const plain = new MemoryJournalStore();
    const k = await Journal.open(plain);
    const before = [batched.appends, plain.appends];
    const order: string[] = [];
    for (const r of [1, 2, 3]) {
      void j.sending(r, r).then(() => order.push(`${r} written`));
      void k.sending(r, r);
      // Between two answers' callbacks of one turn the microtask queue runs dry.
      await drainMicrotasks();
    }
    expect(batched.appends - before[0]!).toBe(0);
    expect(plain.appends - before[1]!).toBe(3);
    await j.flushed();
    expect(batched.appends - before[0]!).toBe(1);
    expect(batched.text.at(-1)!.split('\n').filter(Boolean)).toHaveLength(3);
    expect(order).toEqual(['1 written', '2 written', '3 written']);
    expect([1, 2, 3].map((r) => j.rows.state(r))).toEqual([ROW_STATE.sending, ROW_STATE.sending, ROW_STATE.sending]);
    await j.close();
    await k.close();
  });

  it('writes the caller\'s fingerprint scheme in a new header and reads it back; a journal without one has none', async () => {
    const store = new MemoryJournalStore();
    const j = await Journal.open(store, { fingerprint: 'fnv1a-32' });
    expect(j.fingerprint).toBe('fnv1a-32');
    await j.close();
    expect(JSON.parse(store.text[0]!)).toMatchObject({ kind: 'caphone-bulk-edit-journal', v: 1, fingerprint: 'fnv1a-32' });
    // Resuming keeps what the journal says, whatever the caller would use for a new one.
    expect((await Journal.open(store, { fingerprint: 'other' })).fingerprint).toBe('fnv1a-32');
    const old = new MemoryJournalStore();
    old.text.push('{"kind":"caphone-bulk-edit-journal","v":1,"started":"2026-01-01T00:00:00.000Z"}\n');
    expect((await Journal.open(old, { fingerprint: 'fnv1a-32' })).fingerprint).toBeUndefined();
  });

  it('a failing store rejects every caller of that batch and records no state', async () => {
    let fail = false;
    const store = new MemoryJournalStore();
    const failing = Object.assign(Object.create(store) as MemoryJournalStore, {
      append(text: string) {
        if (fail) throw new Error('disk full');
        store.append(text);
      },
    });
    const j = await Journal.open(failing);
    fail = true;
    const results = await Promise.allSettled([j.sending(1, 1), j.sending(2, 2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(j.rows.state(1)).toBe(ROW_STATE.none);
  });
});

describe('Journal lines', () => {
  it('are the JSON of each entry, keys in the documented order (r, h, s, k, a, rb)', async () => {
    const store = new MemoryJournalStore();
    const j = await Journal.open(store);
    await j.sending(1, 4_294_967_295);
    j.done(1, 4_294_967_295, 'success', false, 'applied');
    await j.sending(2, 0);
    j.done(2, 0, 'unknown', true);
    await j.sending(3, 7);
    j.done(3, 7, 'not_found', false, 'not_applied');
    // A caller's odd fingerprint (not an integer) still gives valid JSON.
    await j.sending(4, 1.5);
    await j.close();
    const lines = store.text.join('').split('\n').filter(Boolean).slice(1);
    expect(lines).toEqual([
      JSON.stringify({ r: 1, h: 4_294_967_295, s: 'sending' }),
      JSON.stringify({ r: 1, h: 4_294_967_295, s: 'done', k: 'success', rb: 'applied' }),
      JSON.stringify({ r: 2, h: 0, s: 'sending' }),
      JSON.stringify({ r: 2, h: 0, s: 'done', k: 'unknown', a: 1 }),
      JSON.stringify({ r: 3, h: 7, s: 'sending' }),
      JSON.stringify({ r: 3, h: 7, s: 'done', k: 'not_found', rb: 'not_applied' }),
      JSON.stringify({ r: 4, h: 1.5, s: 'sending' }),
    ]);
  });
});

describe('RowStates', () => {
  it('grows past its first size and keeps earlier rows', () => {
    const s = new RowStates();
    s.set(3, ROW_STATE.applied, 7);
    s.set(100_000, ROW_STATE.ambiguous, 9);
    expect(s.state(3)).toBe(ROW_STATE.applied);
    expect(s.hash(3)).toBe(7);
    expect(s.state(100_000)).toBe(ROW_STATE.ambiguous);
    expect(s.state(5_000_000)).toBe(ROW_STATE.none);
    expect(s.size).toBe(2);
  });
});
