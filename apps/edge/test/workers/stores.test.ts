import { listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { AUDIT_RETENTION_MS } from '../../src/audit/store.js';
import { IDEMPOTENCY_TTL_MS } from '../../src/idempotency/store.js';
import { durableAuditStore, durableIdempotencyStore } from '../../src/team-ledger.js';
import { durableRateLimiter } from '../../src/workers-runtime.js';
import { defineAuditStoreContract } from '../suite/audit-store-contract.js';
import { defineIdempotencyStoreContract } from '../suite/idempotency-store-contract.js';
import { defineRateLimiterContract } from '../suite/rate-limiter-contract.js';

// The same contracts as on Node (test/node/stores.test.ts), against the team's Durable Objects.
defineIdempotencyStoreContract('TeamLedger Durable Object (workerd)', () => durableIdempotencyStore(env.TEAM_LEDGER));
defineAuditStoreContract('TeamLedger Durable Object (workerd)', () => durableAuditStore(env.TEAM_LEDGER));
defineRateLimiterContract('TeamRateLimiter Durable Object (workerd)', () => durableRateLimiter(env));

describe('TeamLedger storage', () => {
  it('keeps keys and entries in SQLite, one object per team, and its alarm drops what expired', async () => {
    const team = `team-${crypto.randomUUID()}`;
    const before = (await listDurableObjectIds(env.TEAM_LEDGER)).length;
    const keys = durableIdempotencyStore(env.TEAM_LEDGER);
    const audit = durableAuditStore(env.TEAM_LEDGER);
    const now = Date.now();
    // Claimed 25 hours ago (expired an hour ago), and one claimed now.
    await keys.claim(team, 'old', 'fp', now - IDEMPOTENCY_TTL_MS - 3_600_000, 10_000);
    await keys.claim(team, 'new', 'fp', now, 10_000);
    const entry = { team, userName: 'demo', action: 'delete' as const, before: { phoneNumber: '1', phoneName: 'a' }, after: null, outcome: 'success', status: 200 };
    await audit.append(team, { ...entry, time: now - AUDIT_RETENTION_MS - 1, requestId: 'old' });
    await audit.append(team, { ...entry, time: now, requestId: 'new' });
    expect((await listDurableObjectIds(env.TEAM_LEDGER)).length).toBe(before + 1);

    const stub = env.TEAM_LEDGER.get(env.TEAM_LEDGER.idFromName(team));
    // The alarm is due already (it may even have run by itself); run it now and look inside.
    await runDurableObjectAlarm(stub);
    const rows = await runInDurableObject(stub, (_instance, state) => ({
      keys: state.storage.sql.exec<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key').toArray().map((r) => r.key),
      audit: state.storage.sql.exec<{ time: number }>('SELECT time FROM audit').toArray().map((r) => r.time),
    }));
    expect(rows).toEqual({ keys: ['new'], audit: [now] });
    // And it is set again for the next thing due: the key claimed now, in 24 hours.
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(now + IDEMPOTENCY_TTL_MS);
  });
});
