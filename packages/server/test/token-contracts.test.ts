import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { describeTokenProviderContract, describeTokenStoreContract } from '@cloudagent-phone/transport/testing';
import { accountTokenStore, createMemoryHolderStorage, type HolderStorage } from '../src/account-token-store.js';
import { keyHash } from '../src/key-hash.js';
import { memoryAccountTokens } from '../src/memory-account-tokens.js';

// The transport's TokenStore and TokenProvider contracts against the token holder on Node: its
// store (one account's key inside the holder's storage) over memory, and its providers
// (memoryAccountTokens). test/workerd/ runs the same over the AccountTokens Durable Object.
let storage: HolderStorage = createMemoryHolderStorage();
let hash = '';
describeTokenStoreContract({
  name: 'the holder store over createMemoryHolderStorage',
  create: async () => {
    storage = createMemoryHolderStorage();
    hash = await keyHash(crypto.randomUUID());
    return accountTokenStore(storage, 'acme', hash, Date.now);
  },
  // Another manager of the same (account, key) over the same storage.
  reopen: () => accountTokenStore(storage, 'acme', hash, Date.now),
});

const KEY = 'CANARY-KEY-holder-contract-71d3';

describeTokenProviderContract({
  name: 'memoryAccountTokens (the holder in one process)',
  create: () => {
    const simulator = createSimulator({ userName: 'acme', apiKey: KEY, auth: 'token' });
    const transport = createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) });
    const tokens = memoryAccountTokens({ baseUrl: 'http://cloudagent.test' }, { transport });
    return {
      provider: tokens('acme', KEY),
      providerWithWrongKey: tokens('acme', 'CANARY-WRONG-holder-contract-0e5b'),
      generations: () => simulator.control.calls().filter((c) => c.action === 'token').length,
      currentToken: () => simulator.state.tokens.current?.token,
    };
  },
});
