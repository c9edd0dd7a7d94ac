import { DurableObject } from 'cloudflare:workers';
import { AUDIT_RETENTION_MS, toEntry, type AuditEntry, type AuditQuery, type AuditRecord, type AuditStore } from './audit/store.js';
import { decideClaim, type KeyRecord } from './idempotency/claim-rule.js';
import type { Claim, IdempotencyStore, StoredAnswer } from './idempotency/store.js';

/**
 * One per team, on Workers: the team's idempotency keys and its audit trail, in the object's SQLite
 * storage. One object for both because both are the team's own history of mutations, read and
 * written on the same requests: one object means one place a team's data lives, one alarm that
 * sweeps both (keys after 24 h, audit entries after 30 days), and no second migration later. A
 * Durable Object runs one call at a time, so a claim's read-then-write cannot interleave with another.
 */
export class TeamLedger extends DurableObject {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(
      `CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, record TEXT NOT NULL);
       CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at);
       CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, record TEXT NOT NULL);
       CREATE INDEX IF NOT EXISTS audit_time ON audit (time);`,
    );
  }

  #read(key: string): KeyRecord | undefined {
    const row = this.#sql.exec<{ record: string }>('SELECT record FROM idempotency_keys WHERE key = ?', key).toArray()[0];
    return row && (JSON.parse(row.record) as KeyRecord);
  }

  #write(key: string, record: KeyRecord): void {
    this.#sql.exec('INSERT OR REPLACE INTO idempotency_keys VALUES (?, ?, ?)', key, record.expiresAt, JSON.stringify(record));
  }

  async claim(key: string, fingerprint: string, now: number, leaseMs: number): Promise<Claim> {
    const { claim, write } = decideClaim(this.#read(key), fingerprint, now, leaseMs);
    if (write) {
      this.#write(key, write);
      await this.#sweepBy(write.expiresAt);
    }
    return claim;
  }

  complete(key: string, answer: StoredAnswer): void {
    const record = this.#read(key);
    if (record) this.#write(key, { ...record, answer });
  }

  release(key: string): void {
    this.#sql.exec('DELETE FROM idempotency_keys WHERE key = ?', key);
  }

  async append(record: AuditRecord): Promise<void> {
    this.#sql.exec('INSERT INTO audit (time, record) VALUES (?, ?)', record.time, JSON.stringify(record));
    await this.#sweepBy(record.time + AUDIT_RETENTION_MS);
  }

  list({ since, after = 0, limit }: AuditQuery, now: number): AuditEntry[] {
    return this.#sql
      .exec<{ id: number; record: string }>(
        'SELECT id, record FROM audit WHERE id > ? AND time >= ? ORDER BY id LIMIT ?',
        after,
        Math.max(since, now - AUDIT_RETENTION_MS),
        limit,
      )
      .toArray()
      .map((row) => toEntry(row.id, JSON.parse(row.record) as AuditRecord));
  }

  /** Drops expired keys and audit entries, then sleeps until the next one is due. */
  async alarm(): Promise<void> {
    const now = Date.now();
    this.#sql.exec('DELETE FROM idempotency_keys WHERE expires_at <= ?', now);
    this.#sql.exec('DELETE FROM audit WHERE time < ?', now - AUDIT_RETENTION_MS);
    const next = this.#sql
      .exec<{ at: number | null }>(
        `SELECT MIN(at) AS at FROM (SELECT MIN(expires_at) AS at FROM idempotency_keys UNION ALL SELECT MIN(time) + ${AUDIT_RETENTION_MS} FROM audit)`,
      )
      .one().at;
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** An alarm no later than `at`, when something written now is due to go. */
  async #sweepBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}

type Ledgers = DurableObjectNamespace<TeamLedger>;
const ledger = (ledgers: Ledgers, team: string) => ledgers.get(ledgers.idFromName(team));

export function durableIdempotencyStore(ledgers: Ledgers): IdempotencyStore {
  return {
    claim: (team, key, fingerprint, now, leaseMs) => ledger(ledgers, team).claim(key, fingerprint, now, leaseMs) as Promise<Claim>,
    complete: async (team, key, answer) => ledger(ledgers, team).complete(key, answer),
    release: async (team, key) => ledger(ledgers, team).release(key),
  };
}

export function durableAuditStore(ledgers: Ledgers): AuditStore {
  return {
    append: async (team, record) => ledger(ledgers, team).append(record),
    list: (team, query, now) => ledger(ledgers, team).list(query, now) as Promise<AuditEntry[]>,
  };
}
