import type { OutcomeKind } from '@cloudagent-phone/core';
import type { JournalStore } from './journal-store.js';
import { ROW_STATE, RowStates, stateOf, type RowState } from './row-states.js';

const HEADER_KIND = 'caphone-bulk-edit-journal';
/** Outcomes waiting for a flush: past this many they are flushed on their own. */
const DEFERRED_LINES = 256;

/** One journal line about a row. Short keys: a million-row journal is read back on every resume. */
interface Entry {
  /** Row number (1 = first data row). */
  r: number;
  /** Row fingerprint (the caller's hash of the row's content). */
  h: number;
  /** `sending`, or `done` with the outcome. */
  s: 'sending' | 'done';
  /** Outcome kind. */
  k?: OutcomeKind;
  /** Ambiguous: may or may not have applied. */
  a?: 1;
  /** Settled by reading back (verdict applied / not applied). */
  rb?: 'applied' | 'not_applied';
}

/** How a journal is opened; every field is optional. */
export interface JournalOptions {
  /**
   * What the caller's row fingerprints are (e.g. the hash's name): written into a new journal's
   * header, read back from an existing one (`Journal.fingerprint`), so a caller that changes how
   * it fingerprints rows still checks an older journal's rows the old way.
   */
  fingerprint?: string;
  /**
   * When the lines of one batch are appended (default: the store's `schedule`, else a microtask,
   * so lines written in the same synchronous stretch share an append). The file store's is a
   * microtask too: a freed row's request does not wait for the rest of the event loop's turn. A
   * `setImmediate` here would make the rows whose answers arrived in one turn share one write.
   */
  schedule?: (flush: () => void) => void;
}

/** The store holds something that is not a bulk journal: resuming from it would trust nonsense. */
export class JournalFormatError extends Error {
  constructor(
    readonly store: string,
    readonly reason: 'not_a_journal' | 'torn',
  ) {
    super(reason === 'torn' ? `${store} is empty or torn: it is not a caphone journal` : `${store} exists but is not a caphone bulk-edit journal`);
    this.name = 'JournalFormatError';
  }
}

/**
 * The durable record of a bulk run: for each row, "sending" before its request leaves and the
 * outcome after its answer, in a store that survives the process (see JournalStore.append). No key,
 * token or row content is written, only row numbers, fingerprints and outcome kinds.
 *
 * Lines written before a batch is appended go to the store in one append (a group commit): those of
 * one synchronous stretch by default (the file journal's too), those of one turn of the event loop
 * with a `schedule` such as `setImmediate`. Rows started together cost one write, and each caller still
 * resumes only once its own line is in the store. An outcome ("done") is not waited for: it rides with the next "sending" (or the
 * next few hundred outcomes, or close()). Losing one costs a read-back on resume, never a resend:
 * the row is still "sending" there, which is settled by reading back. So a steady run makes about
 * one append per row instead of two.
 */
export class Journal {
  private queued: string[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly store: JournalStore,
    readonly rows: RowStates,
    readonly resumed: boolean,
    /** The header's `fingerprint` (undefined for a journal written without one). */
    readonly fingerprint: string | undefined,
    private readonly schedule: (flush: () => void) => void,
  ) {}

  /** What the journal is called in messages (its file path, its job id). */
  get name(): string {
    return this.store.name;
  }

  /** Opens a journal for writing: a new one gets its header, an existing one is read back first. */
  static async open(store: JournalStore, options: JournalOptions = {}): Promise<Journal> {
    const read = await readJournal(store);
    const fingerprint = read ? read.fingerprint : options.fingerprint;
    const journal = new Journal(store, read?.rows ?? new RowStates(), read !== undefined, fingerprint, options.schedule ?? store.schedule ?? ((flush) => queueMicrotask(flush)));
    if (!journal.resumed) {
      const header: Header = { kind: HEADER_KIND, v: 1, started: new Date().toISOString() };
      if (fingerprint !== undefined) header.fingerprint = fingerprint;
      await journal.write(header);
    }
    return journal;
  }

  /** The row states a store records, without writing to it (for a dry run). */
  static async peek(store: JournalStore): Promise<RowStates> {
    return (await readJournal(store))?.rows ?? new RowStates();
  }

  private write(value: Header): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.name} is closed`));
    this.queued.push(`${JSON.stringify(value)}\n`);
    return this.flush();
  }

  /** Queues a line that may wait for the next flush (see the class comment). */
  private later(entry: Entry): void {
    if (this.closed) throw new Error(`journal ${this.name} is closed`);
    this.queued.push(entryLine(entry));
    if (this.queued.length >= DEFERRED_LINES) void this.flush().catch(() => undefined);
  }

  private flush(): Promise<void> {
    this.flushing ??= new Promise<void>((resolve) => this.schedule(resolve)).then(() => {
      const text = this.queued.join('');
      this.queued = [];
      this.flushing = undefined;
      return text === '' ? undefined : this.store.append(text);
    });
    return this.flushing;
  }

  /** Resolves once the row's "sending" is in the store: only then may its request leave. */
  async sending(row: number, hash: number): Promise<void> {
    if (this.closed) throw new Error(`journal ${this.name} is closed`);
    this.queued.push(entryLine({ r: row, h: hash, s: 'sending' }));
    await this.flush();
    this.rows.set(row, ROW_STATE.sending, hash);
  }

  /**
   * Records a row's outcome (in the store with the next flush, see the class comment) and returns
   * the row's new state.
   */
  done(row: number, hash: number, kind: OutcomeKind, ambiguous: boolean, readBack?: 'applied' | 'not_applied'): RowState {
    const entry: Entry = { r: row, h: hash, s: 'done', k: kind };
    if (ambiguous) entry.a = 1;
    if (readBack) entry.rb = readBack;
    this.later(entry);
    const state = stateOf(kind, ambiguous);
    this.rows.set(row, state, hash);
    return state;
  }

  /** Resolves once every line written so far is in the store. */
  async flushed(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.store.close();
    }
  }
}

/**
 * One entry as a line, the same text JSON.stringify gives (keys in the same order), written out by
 * hand: a run writes two a row, and JSON.stringify's generic walk cost more than the rest of the
 * journal's work. Anything but integer row numbers and fingerprints takes JSON.stringify.
 */
function entryLine(entry: Entry): string {
  if (!Number.isSafeInteger(entry.r) || !Number.isSafeInteger(entry.h)) return `${JSON.stringify(entry)}\n`;
  let line = `{"r":${entry.r},"h":${entry.h},"s":"${entry.s}"`;
  if (entry.k !== undefined) line += `,"k":${JSON.stringify(entry.k)}`;
  if (entry.a !== undefined) line += ',"a":1';
  if (entry.rb !== undefined) line += `,"rb":"${entry.rb}"`;
  return `${line}}\n`;
}

/** The first line of every journal. */
interface Header {
  kind: typeof HEADER_KIND;
  v: 1;
  started: string;
  fingerprint?: string;
}

/** Reads a store back: the last line about a row wins; a torn line is skipped. Undefined: a new journal. */
async function readJournal(store: JournalStore): Promise<{ rows: RowStates; fingerprint: string | undefined } | undefined> {
  const rows = new RowStates();
  let any = false;
  let header = false;
  let fingerprint: string | undefined;
  for await (const line of store.lines()) {
    if (line.trim() === '') continue;
    any = true;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (!header) {
      const head = value as Partial<Header> | null;
      if (head?.kind !== HEADER_KIND) throw new JournalFormatError(store.name, 'not_a_journal');
      if (typeof head.fingerprint === 'string') fingerprint = head.fingerprint;
      header = true;
      continue;
    }
    const entry = value as Entry;
    if (typeof entry.r !== 'number' || !Number.isInteger(entry.r) || entry.r < 1 || typeof entry.h !== 'number') continue;
    if (entry.s === 'sending') rows.set(entry.r, ROW_STATE.sending, entry.h);
    else if (entry.s === 'done' && typeof entry.k === 'string') rows.set(entry.r, stateOf(entry.k, entry.a === 1), entry.h);
  }
  if (!any) return undefined;
  if (!header) throw new JournalFormatError(store.name, 'torn');
  return { rows, fingerprint };
}
