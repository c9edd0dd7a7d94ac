import { keyHash } from '@cloudagent-phone/server';
import type { StoredToken } from '@cloudagent-phone/transport';
import { listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { AdmissionLog } from '../../src/rate-limit/window.js';
import { GAMMA_LIMIT, TOKEN_KEY } from '../suite/fixtures.js';
import { checkedAgainstContract, COVERED_BY_EDGE_SUITE, COVERED_BY_IDEMPOTENCY_SUITE } from '../suite/contract.js';
import { defineEdgeSuite } from '../suite/edge-suite.js';
import { defineIdempotencySuite } from '../suite/idempotency-suite.js';
import { remoteUpstreamView } from '../suite/upstream.js';
import { captureConsole, describeTheRuntime, workersHarness } from './harness.js';
import './provided-context.js';

// Inside workerd the Worker's own entry serves the requests (exports.default), with its Durable
// Objects and its config from the bindings in vitest.config.ts. CloudAgent is the simulators on a
// loopback port, started by global-setup.ts in Node: the Worker reaches them over the socket
// transport (cloudflare:sockets), lookups and token generation included, as it would reach CloudAgent.
const harness = workersHarness((request) => exports.default.fetch(request), remoteUpstreamView(inject('upstream').controlUrl), captureConsole());

describeTheRuntime();

describe('bulk jobs', () => {
  it('go to the bulk-jobs Worker over the BULK_JOBS service binding as they came: method, path and query, token, body', async () => {
    const res = await harness.request('/bulk-jobs?userName=demo', { method: 'POST', headers: { authorization: 'Bearer t0ken', 'content-type': 'application/x-ndjson' }, body: '{"phoneNumber":"+919876543210"}' });
    expect(res.status).toBe(299);
    expect(await res.json()).toEqual({ forwardedTo: 'bulk-jobs', method: 'POST', url: 'https://edge.test/bulk-jobs?userName=demo', authorization: 'Bearer t0ken', body: '{"phoneNumber":"+919876543210"}' });
    const report = await harness.request('/bulk-jobs/abc/report');
    expect(((await report.json()) as { url: string }).url).toBe('https://edge.test/bulk-jobs/abc/report');
    // Everything else stays with the edge.
    expect((await harness.request('/healthz')).status).toBe(200);
  });
});

// Every answer of the suites below is checked against the OpenAPI document (the last test says).
const checked = checkedAgainstContract(() => harness);
defineEdgeSuite(checked.harness);
defineIdempotencySuite(checked.harness);
checked.defineContractTest([...COVERED_BY_EDGE_SUITE, ...COVERED_BY_IDEMPOTENCY_SUITE]);

// After the suite: the state it left in the Durable Objects shows they, not isolate memory, did the work.
describe('Durable Objects', () => {
  it('one AccountTokens object holds the token and counts the generations (the first, and one replacement)', async () => {
    const ids = await listDurableObjectIds(env.ACCOUNT_TOKENS);
    expect(ids).toHaveLength(1);
    // Filed under the hash of the key that earned it (the key itself is never stored).
    const hash = await keyHash(TOKEN_KEY);
    const { stored, keys } = await runInDurableObject(env.ACCOUNT_TOKENS.get(ids[0]!), async (_instance, state) => ({
      stored: await state.storage.get<StoredToken>(`token:tokenco:${hash}`),
      keys: [...(await state.storage.list()).keys()],
    }));
    expect(stored?.token).toMatch(/^eyJ/);
    expect(stored?.generations).toHaveLength(2);
    expect(keys.sort()).toEqual([`generations:tokenco`, `token:tokenco:${hash}`]);
    expect(JSON.stringify(keys)).not.toContain(TOKEN_KEY);
  });

  it('one TeamRateLimiter object per team, with exact counts', async () => {
    const ids = await listDurableObjectIds(env.TEAM_RATE_LIMITER);
    expect(ids.length).toBe(4);
    const gamma = env.TEAM_RATE_LIMITER.get(env.TEAM_RATE_LIMITER.idFromName('gamma'));
    const log = await runInDurableObject(gamma, (_instance, state) => state.storage.get<AdmissionLog>('admissions'));
    expect(log?.admitted).toHaveLength(GAMMA_LIMIT);
  });

  it('the Durable Object admits at most N in any 60 s, under concurrency, whatever the arrival pattern', async () => {
    const stub = env.TEAM_RATE_LIMITER.get(env.TEAM_RATE_LIMITER.idFromName('property-team'));
    const decisions = await Promise.all(Array.from({ length: 25 }, () => stub.take(7)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
    const log = await runInDurableObject(stub, (_instance, state) => state.storage.get<AdmissionLog>('admissions'));
    expect(log?.admitted).toHaveLength(7);
    // Later arrivals within the same minute are still refused: no window boundary to cross.
    expect((await stub.take(7)).allowed).toBe(false);
  });

  it("the team's TeamLedger object holds its idempotency keys and audit trail in SQLite", async () => {
    const alpha = env.TEAM_LEDGER.get(env.TEAM_LEDGER.idFromName('alpha'));
    const counts = await runInDurableObject(alpha, (_instance, state) => ({
      keys: state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM idempotency_keys').one().n,
      audit: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM audit WHERE json_extract(record, '$.team') = 'alpha'").one().n,
      alarm: state.storage.getAlarm(),
    }));
    expect(counts.keys).toBeGreaterThan(3);
    expect(counts.audit).toBeGreaterThan(5);
    expect(await counts.alarm).toBeGreaterThan(Date.now());
  });
});
