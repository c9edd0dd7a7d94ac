// The hostile-input suite inside workerd. The app is built here in the isolate from the same
// config (its Worker entry pays a Durable Object round trip per request, about 25 ms under
// miniflare, which would make 15,000 requests take minutes); the Durable Object limiter's own
// exactness is checked in edge.test.ts. CloudAgent is the simulator pair inside this isolate.
import { createEdgeApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createMemoryRateLimiter } from '../../src/rate-limit/memory.js';
import { createMemoryAuditStore } from '../../src/audit/memory-store.js';
import { createMemoryIdempotencyStore } from '../../src/idempotency/memory-store.js';
import { edgeEnv } from '../suite/fixtures.js';
import { defineHostileSuite } from '../suite/hostile.js';
import { createUpstream, localUpstreamView } from '../suite/upstream.js';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { describeTheRuntime, workersHarness } from './harness.js';

const UPSTREAM_ORIGIN = 'https://cloudagent.test';

const upstream = createUpstream();
const logs: string[] = [];
const config = parseConfig(edgeEnv(UPSTREAM_ORIGIN));
if (!config.ok) throw new Error('the test configuration is invalid');
const app = createEdgeApp({
  idempotencyStore: createMemoryIdempotencyStore(),
  auditStore: createMemoryAuditStore(),
  config: config.config,
  transport: createFetchTransport({ fetch: (input, init) => upstream.handle(new Request(input, init), undefined, init?.signal ?? undefined) }),
  rateLimiter: createMemoryRateLimiter(),
  logSink: (line) => {
    logs.push(line);
    if (logs.length > 20_000) logs.splice(0, 10_000);
  },
});

const harness = workersHarness((request) => app.fetch(request), localUpstreamView(upstream), () => [...logs]);

describeTheRuntime();

defineHostileSuite(() => harness);
