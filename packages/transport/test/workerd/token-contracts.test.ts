import { createSimulator } from '@cloudagent-phone/simulator';
import { describeTokenProviderContract, describeTokenStoreContract } from '../../src/testing.js';
import { createFetchTransport, createMemoryTokenStore, createTokenManagerWithTransport } from '../../src/index.js';

// The same TokenStore and TokenProvider contracts as on Node (test/token-contracts.test.ts), inside
// workerd: the token manager as a Worker builds it (createTokenManagerWithTransport), CloudAgent
// played by a simulator in this isolate.
describeTokenStoreContract({ name: 'createMemoryTokenStore (workerd)', create: () => createMemoryTokenStore() });

const KEY = 'CANARY-KEY-provider-contract-workerd-2c8d';

describeTokenProviderContract({
  name: 'createTokenManagerWithTransport (memory store, workerd)',
  create: () => {
    const simulator = createSimulator({ userName: 'acme', apiKey: KEY, auth: 'token' });
    const transport = createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) });
    const manager = (apiKey: string) => createTokenManagerWithTransport({ userName: 'acme', apiKey, baseUrl: 'https://cloudagent.test', transport, store: createMemoryTokenStore() });
    return {
      provider: manager(KEY),
      providerWithWrongKey: manager('CANARY-WRONG-provider-contract-workerd-6f1e'),
      generations: () => simulator.control.calls().filter((c) => c.action === 'token').length,
      currentToken: () => simulator.state.tokens.current?.token,
    };
  },
});
