import { createMemoryAuditStore } from '../../src/audit/memory-store.js';
import { createMemoryIdempotencyStore } from '../../src/idempotency/memory-store.js';
import { createMemoryRateLimiter } from '../../src/rate-limit/memory.js';
import { defineAuditStoreContract } from '../suite/audit-store-contract.js';
import { defineIdempotencyStoreContract } from '../suite/idempotency-store-contract.js';
import { defineRateLimiterContract } from '../suite/rate-limiter-contract.js';

// The same contracts as inside workerd (test/workers/stores.test.ts), against the Node stores.
const idempotency = createMemoryIdempotencyStore();
const audit = createMemoryAuditStore();
defineIdempotencyStoreContract('in memory (Node)', () => idempotency);
defineAuditStoreContract('in memory (Node)', () => audit);
defineRateLimiterContract('createMemoryRateLimiter (Node)', () => createMemoryRateLimiter());
