import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore } from '../src/token-store.js';
import { describeTokenProviderContract, describeTokenStoreContract } from '../src/testing.js';

// The TokenStore and TokenProvider contracts against this package's own implementations. The CLI's
// file store and the server package's holder (in memory and in a Durable Object) run them too.
describeTokenStoreContract({ name: 'createMemoryTokenStore', create: () => createMemoryTokenStore() });

const KEY = 'CANARY-KEY-provider-contract-4e1a';
const BASE = 'http://cloudagent.test';

describeTokenProviderContract({
  name: 'createTokenManager (memory store)',
  create: () => {
    const simulator = createSimulator({ userName: 'acme', apiKey: KEY, auth: 'token' });
    const transport = createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) });
    const manager = (apiKey: string) => createTokenManager({ userName: 'acme', apiKey, baseUrl: BASE, transport, store: createMemoryTokenStore() });
    return {
      provider: manager(KEY),
      providerWithWrongKey: manager('CANARY-WRONG-provider-contract-9b7c'),
      generations: () => simulator.control.calls().filter((c) => c.action === 'token').length,
      currentToken: () => simulator.state.tokens.current?.token,
    };
  },
});
