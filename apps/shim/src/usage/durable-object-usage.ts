import { isUsageRow, type UsageRow } from './usage-row.js';
import type { UsageStore } from './usage-store.js';

// The few parts of the Workers runtime used here, typed locally so this file also type-checks and
// bundles for Node (the Worker entry is in the Node build too); the runtime's own types fit them.
interface SqlCursorLike {
  toArray(): Record<string, unknown>[];
}
interface DurableObjectStateLike {
  storage: { sql: { exec(query: string, ...bindings: unknown[]): SqlCursorLike }; transactionSync<T>(fn: () => T): T };
}
interface DurableObjectStubLike {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}
export interface UsageNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): DurableObjectStubLike;
}

/** Upper bound on one batch: a few seconds of one isolate's calls come nowhere near it. */
const MAX_BATCH_ROWS = 10_000;

/**
 * The Workers aggregator: one Durable Object (SQLite storage) that every isolate sends its batches
 * to, so `/_shim/metrics` sees the whole deployment, not one isolate's slice. One row per
 * (hour, account, key); a batch is added in one transaction, so it counts whole or not at all.
 * Bind it as `SHIM_USAGE` (wrangler.jsonc: `durable_objects` and a `new_sqlite_classes` migration).
 */
export class UsageAggregator {
  readonly #storage: DurableObjectStateLike['storage'];

  constructor(state: DurableObjectStateLike, _env: unknown) {
    this.#storage = state.storage;
    this.#storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS usage (hour INTEGER NOT NULL, account TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (hour, account, key))',
    );
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const keepFrom = Number(url.searchParams.get('keepFrom'));
    if (!Number.isSafeInteger(keepFrom)) return Response.json({ error: 'keepFrom must be an hour in ms since epoch' }, { status: 400 });
    if (request.method === 'POST' && url.pathname === '/add') {
      const body = (await request.json().catch(() => undefined)) as { rows?: unknown } | undefined;
      const rows = body?.rows;
      if (!Array.isArray(rows) || rows.length > MAX_BATCH_ROWS || !rows.every(isUsageRow)) {
        return Response.json({ error: `rows must be at most ${MAX_BATCH_ROWS} usage rows ({hour, account, key, count})` }, { status: 400 });
      }
      this.#storage.transactionSync(() => {
        for (const r of rows) {
          if (r.hour < keepFrom) continue;
          this.#storage.sql.exec(
            'INSERT INTO usage (hour, account, key, count) VALUES (?, ?, ?, ?) ON CONFLICT (hour, account, key) DO UPDATE SET count = count + excluded.count',
            r.hour,
            r.account,
            r.key,
            r.count,
          );
        }
        this.#storage.sql.exec('DELETE FROM usage WHERE hour < ?', keepFrom);
      });
      return new Response(null, { status: 204 });
    }
    if (request.method === 'GET' && url.pathname === '/read') {
      this.#storage.sql.exec('DELETE FROM usage WHERE hour < ?', keepFrom);
      const rows = this.#storage.sql.exec('SELECT hour, account, key, count FROM usage ORDER BY hour, rowid').toArray() as unknown as UsageRow[];
      return Response.json({ rows });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  }
}

/**
 * The UsageStore over the aggregator. Every isolate talks to the same object (`name`), which makes
 * the totals global. A failed `add` rejects and the batch is not re-sent (it may have been applied:
 * re-sending could count it twice); the shim logs it, and the loss is that one batch.
 */
export function createDurableObjectUsageStore(namespace: UsageNamespaceLike, name = 'global'): UsageStore {
  const stub = () => namespace.get(namespace.idFromName(name) as never);
  return {
    async add(rows, keepFrom) {
      if (rows.length === 0) return;
      for (let i = 0; i < rows.length; i += MAX_BATCH_ROWS) {
        const res = await stub().fetch(`https://usage.internal/add?keepFrom=${keepFrom}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ rows: rows.slice(i, i + MAX_BATCH_ROWS) }),
        });
        if (!res.ok) throw new Error(`usage aggregator refused a batch: HTTP ${res.status} ${await res.text()}`);
      }
    },
    async read(keepFrom) {
      const res = await stub().fetch(`https://usage.internal/read?keepFrom=${keepFrom}`);
      if (!res.ok) throw new Error(`usage aggregator read failed: HTTP ${res.status}`);
      const { rows } = (await res.json()) as { rows: UsageRow[] };
      return rows;
    },
  };
}
