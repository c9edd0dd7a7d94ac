import './provided-context.js';
import { describe, expect, inject, it } from 'vitest';
import { createSocketTransport } from '../../src/workers.js';
import { remoteContractServer } from '../contract-server.js';
import { describeTransportContract } from '../transport-contract.js';

describe('the runtime', () => {
  it('is workerd, not Node: the contract below runs over the real cloudflare:sockets connect()', () => {
    expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe('Cloudflare-Workers');
  });
});

describeTransportContract({
  name: 'socket (cloudflare:sockets, inside workerd)',
  transport: () => createSocketTransport(),
  capabilities: { getWithBody: true },
  server: async () => remoteContractServer(inject('contractServer')),
});
