import './provided-context.js';
import { describe, expect, inject, it } from 'vitest';
import { createSocketTransport } from '../../src/workers.js';
import { describeTransportContract } from '../../src/testing.js';

describe('the runtime', () => {
  it('is workerd, not Node: the contract below runs over the real cloudflare:sockets connect()', () => {
    expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe('Cloudflare-Workers');
  });
});

describeTransportContract({
  name: 'socket (cloudflare:sockets, inside workerd)',
  transport: () => createSocketTransport(),
  capabilities: { getWithBody: true },
  server: inject('contractServerUrl'),
});
