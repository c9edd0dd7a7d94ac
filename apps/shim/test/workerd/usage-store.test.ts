// The UsageStore contract against the Durable Object aggregator, inside workerd: the SHIM_USAGE
// binding of wrangler.dev.jsonc, one fresh object per test (a unique name), several stores onto
// it as several isolates would have.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDurableObjectUsageStore } from '../../src/usage/durable-object-usage.js';
import { usageStoreContract } from '../usage-store-contract.js';

let n = 0;
usageStoreContract('Durable Object aggregator (workerd)', () => {
  const name = `contract-${Date.now()}-${n++}`;
  return { open: () => createDurableObjectUsageStore(env.SHIM_USAGE, name) };
});

describe('the aggregator refuses what is not a batch of usage rows', () => {
  it('answers 400 naming the rule, and counts nothing', async () => {
    const stub = env.SHIM_USAGE.get(env.SHIM_USAGE.idFromName('refusals'));
    const bad = await stub.fetch('https://usage.internal/add?keepFrom=0', { method: 'POST', body: JSON.stringify({ rows: [{ hour: 1, account: 'a', key: 'k', count: 1 }] }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('usage rows');
    const read = await stub.fetch('https://usage.internal/read?keepFrom=0');
    expect(await read.json()).toEqual({ rows: [] });
  });
});
