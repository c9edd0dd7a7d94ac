import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageTally, isUsageRow, type UsageRow } from './usage-row.js';
import type { UsageStore } from './usage-store.js';

export interface FileUsageStoreOptions {
  /** The data directory (created, mode 0700). Several processes may share it. */
  dir: string;
  /** Names this writer's file; default host, pid and a random part, so no two writers share one. */
  instanceId?: string;
  /** Told about a file in the directory that could not be read (it is skipped, never deleted). */
  onWarning?: (message: string) => void;
}

const FILE = /^usage-[\w.-]+\.json$/;
const FORMAT = 1;

/**
 * Node's durable counts: every writer (process) keeps its own totals and rewrites its own file
 * `usage-<instance>.json` whole after each batch, atomically (a temporary file, fsync, rename), so a
 * reader never sees half a file and no two writers ever touch the same file. A read merges every
 * writer's file. A restarted process starts a new file; the old one is still merged, so a restart
 * loses nothing, and a file whose hours have all aged out is removed by the next read.
 */
export class FileUsageStore implements UsageStore {
  readonly dir: string;
  readonly file: string;
  readonly #own = new UsageTally();
  readonly #onWarning: (message: string) => void;
  #writing: Promise<void> = Promise.resolve();
  #ready: Promise<void> | undefined;

  constructor(options: FileUsageStoreOptions) {
    this.dir = options.dir;
    const instance = (options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`).replace(/[^\w.-]/g, '_');
    this.file = join(this.dir, `usage-${instance}.json`);
    this.#onWarning = options.onWarning ?? (() => {});
  }

  add(rows: readonly UsageRow[], keepFrom: number): Promise<void> {
    this.#own.addAll(rows);
    this.#own.prune(keepFrom);
    return this.#save();
  }

  async read(keepFrom: number): Promise<UsageRow[]> {
    await this.#ensureDir();
    const before = this.#own.size;
    this.#own.prune(keepFrom);
    // What aged out is dropped from this writer's file too, not only from this answer.
    if (this.#own.size < before) await this.#save();
    await this.#writing;
    const merged = new UsageTally();
    merged.addAll(this.#own.rows(keepFrom));
    const own = this.file.slice(this.dir.length + 1);
    for (const name of (await readdir(this.dir)).sort()) {
      if (name === own || !FILE.test(name)) continue;
      const rows = await this.#readFile(join(this.dir, name));
      if (rows === undefined) continue;
      const kept = rows.filter((r) => r.hour >= keepFrom);
      // A finished writer's file whose every hour has aged out holds nothing any more.
      if (kept.length === 0 && rows.length > 0) await rm(join(this.dir, name), { force: true });
      merged.addAll(kept);
    }
    return merged.rows(keepFrom);
  }

  async #readFile(path: string): Promise<UsageRow[] | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // removed meanwhile
      throw error;
    }
    try {
      const doc = JSON.parse(text) as { format?: unknown; rows?: unknown };
      if (doc.format !== FORMAT || !Array.isArray(doc.rows)) throw new Error(`not a format ${FORMAT} usage file`);
      return doc.rows.filter(isUsageRow);
    } catch (error) {
      this.#onWarning(`skipped ${path}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /**
   * Writes are chained: each one writes the whole state at its turn, so the last rename wins with
   * everything added so far, and a failed write does not block the next.
   */
  #save(): Promise<void> {
    const write = this.#writing.then(() => this.#write());
    this.#writing = write.catch(() => undefined);
    return write;
  }

  #ensureDir(): Promise<void> {
    const ready = (this.#ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined));
    return ready;
  }

  async #write(): Promise<void> {
    await this.#ensureDir();
    const tmp = `${this.file}.${randomUUID().slice(0, 8)}.tmp`;
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ format: FORMAT, rows: this.#own.rows() }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
  }
}
