import { decideClaim, type KeyRecord } from './claim-rule.js';
import type { IdempotencyStore } from './store.js';

/**
 * Keys in a Map, for the edge on Node: exact for one process only. Several Node processes behind a
 * load balancer would each keep their own keys, so a retry landing on another process would be sent
 * again; run one process, or use the Worker (a Durable Object per team). Expired keys are swept at
 * most once a minute, on a claim.
 */
export function createMemoryIdempotencyStore(): IdempotencyStore {
  const teams = new Map<string, Map<string, KeyRecord>>();
  let sweptAt = 0;

  function sweep(now: number): void {
    if (now - sweptAt < 60_000) return;
    sweptAt = now;
    for (const [team, keys] of teams) {
      for (const [key, record] of keys) if (record.expiresAt <= now) keys.delete(key);
      if (keys.size === 0) teams.delete(team);
    }
  }

  return {
    async claim(team, key, fingerprint, now, leaseMs) {
      sweep(now);
      let keys = teams.get(team);
      const { claim, write } = decideClaim(keys?.get(key), fingerprint, now, leaseMs);
      if (write) {
        if (!keys) teams.set(team, (keys = new Map()));
        keys.set(key, write);
      }
      return claim;
    },
    async complete(team, key, answer) {
      const record = teams.get(team)?.get(key);
      if (record) record.answer = answer;
    },
    async release(team, key) {
      teams.get(team)?.delete(key);
    },
  };
}
