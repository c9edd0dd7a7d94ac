import { describe, expect, it } from 'vitest';
import { AUDIT_RETENTION_MS, type AuditRecord, type AuditStore } from '../../src/audit/store.js';

/** What every AuditStore must do, run against the in-memory store (Node) and the team's Durable Object (workerd). */
export function defineAuditStoreContract(name: string, store: () => AuditStore): void {
  const newTeam = () => `team-${crypto.randomUUID()}`;
  const record = (team: string, time: number, n: number): AuditRecord => ({
    time,
    team,
    userName: 'demo',
    action: 'edit',
    before: { phoneNumber: '+919876543210', phoneName: `Name-${n}` },
    after: { phoneNumber: '+919876543210', phoneName: `Name-${n + 1}` },
    outcome: 'success',
    status: 200,
    requestId: `req-${n}`,
  });

  describe(`AuditStore contract: ${name}`, () => {
    it('lists a team its own entries, oldest first, with increasing ids and RFC 3339 times', async () => {
      const [team, other] = [newTeam(), newTeam()];
      const t0 = Date.now();
      for (let n = 0; n < 3; n++) await store().append(team, record(team, t0 + n, n));
      await store().append(other, record(other, t0, 99));
      const entries = await store().list(team, { since: t0 - 1000, limit: 10 }, t0 + 10);
      expect(entries.map((e) => e.requestId)).toEqual(['req-0', 'req-1', 'req-2']);
      expect(entries[0]).toEqual({ ...record(team, t0, 0), id: entries[0]!.id, time: new Date(t0).toISOString() });
      expect(entries[1]!.id).toBeGreaterThan(entries[0]!.id);
      expect(entries[2]!.id).toBeGreaterThan(entries[1]!.id);
      expect((await store().list(other, { since: t0 - 1000, limit: 10 }, t0 + 10)).map((e) => e.requestId)).toEqual(['req-99']);
    });

    it('since filters by time, after pages by id, limit caps the page', async () => {
      const team = newTeam();
      const t0 = Date.now();
      for (let n = 0; n < 5; n++) await store().append(team, record(team, t0 + n * 1000, n));
      expect((await store().list(team, { since: t0 + 2000, limit: 10 }, t0 + 10_000)).map((e) => e.requestId)).toEqual(['req-2', 'req-3', 'req-4']);
      const first = await store().list(team, { since: t0, limit: 2 }, t0 + 10_000);
      expect(first.map((e) => e.requestId)).toEqual(['req-0', 'req-1']);
      const second = await store().list(team, { since: t0, after: first[1]!.id, limit: 2 }, t0 + 10_000);
      expect(second.map((e) => e.requestId)).toEqual(['req-2', 'req-3']);
    });

    it('lists nothing older than 30 days, whatever since says', async () => {
      const team = newTeam();
      const t0 = Date.now();
      await store().append(team, record(team, t0 - AUDIT_RETENTION_MS - 1, 0));
      await store().append(team, record(team, t0 - AUDIT_RETENTION_MS + 60_000, 1));
      expect((await store().list(team, { since: 0, limit: 10 }, t0)).map((e) => e.requestId)).toEqual(['req-1']);
    });
  });
}
