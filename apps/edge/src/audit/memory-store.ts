import { AUDIT_RETENTION_MS, toEntry, type AuditRecord, type AuditStore } from './store.js';

/**
 * The trail in memory, for the edge on Node: one process only, and gone when it restarts. Entries
 * older than 30 days are dropped as new ones arrive.
 */
export function createMemoryAuditStore(): AuditStore {
  const teams = new Map<string, { next: number; records: { id: number; record: AuditRecord }[] }>();
  return {
    async append(team, record) {
      let trail = teams.get(team);
      if (!trail) teams.set(team, (trail = { next: 1, records: [] }));
      trail.records.push({ id: trail.next++, record: { ...record } });
      const cutoff = record.time - AUDIT_RETENTION_MS;
      while (trail.records.length > 0 && trail.records[0]!.record.time < cutoff) trail.records.shift();
    },
    async list(team, { since, after = 0, limit }, now) {
      const from = Math.max(since, now - AUDIT_RETENTION_MS);
      const out = [];
      for (const { id, record } of teams.get(team)?.records ?? []) {
        if (out.length >= limit) break;
        if (id > after && record.time >= from) out.push(toEntry(id, record));
      }
      return out;
    },
  };
}
