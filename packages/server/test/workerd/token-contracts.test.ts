// The token holder's contracts inside workerd, against the AccountTokens Durable Object (one per
// account, addressed by idFromName): its TokenStore over the object's own storage, and
// durableAccountTokens as the TokenProvider the apps' Workers use. CloudAgent is a simulator per
// case in this isolate, answering the runtime's fetch for the case's origin (the object shares the
// isolate, so its generateToken requests land there).
import { createSimulator, type Simulator } from '@cloudagent-phone/simulator';
import type { StoredToken, TokenStore } from '@cloudagent-phone/transport';
import { describeTokenProviderContract, describeTokenStoreContract } from '@cloudagent-phone/transport/testing';
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountTokenStore } from '../../src/account-token-store.js';
import { durableAccountTokens } from '../../src/account-tokens-object.js';
import { keyHash } from '../../src/key-hash.js';

const KEY = 'CANARY-KEY-durable-contract-5a9e';
const WRONG = 'CANARY-WRONG-durable-contract-c3f0';
const simulators = new Map<string, Simulator>();
const realFetch = globalThis.fetch;

beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const request = new Request(input, init);
    const simulator = simulators.get(new URL(request.url).origin);
    return simulator ? simulator.fetch(request) : realFetch(input, init);
  });
  // The object logs each generation (JSON lines for Workers Logs); not this run's concern.
  for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation(() => undefined);
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe('the runtime', () => {
  it('is workerd, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });
});

let accounts = 0;

/** The store of one (account, key hash) over the account's object's storage, each call run inside the object. */
function durableStore(userName: string, hash: string): TokenStore {
  const stub = env.ACCOUNT_TOKENS.get(env.ACCOUNT_TOKENS.idFromName(userName));
  return {
    get: () => runInDurableObject(stub, (_object, state) => accountTokenStore(state.storage, userName, hash, Date.now).get()),
    set: (token: StoredToken) => runInDurableObject(stub, (_object, state) => accountTokenStore(state.storage, userName, hash, Date.now).set(token)),
  };
}

let storeAccount = '';
let storeHash = '';
describeTokenStoreContract({
  name: "the holder store over the AccountTokens Durable Object's storage (workerd)",
  create: async () => {
    storeAccount = `store${++accounts}`;
    storeHash = await keyHash(KEY);
    return durableStore(storeAccount, storeHash);
  },
  reopen: () => durableStore(storeAccount, storeHash),
});

describeTokenProviderContract({
  name: 'durableAccountTokens (the AccountTokens Durable Object, workerd)',
  create: () => {
    const n = ++accounts;
    const userName = `tokens${n}`;
    const origin = `https://cloudagent-${n}.test`;
    const simulator = createSimulator({ userName, apiKey: KEY, auth: 'token' });
    simulators.set(origin, simulator);
    const tokens = durableAccountTokens(env.ACCOUNT_TOKENS, { baseUrl: origin });
    return {
      provider: tokens(userName, KEY),
      providerWithWrongKey: tokens(userName, WRONG),
      generations: () => simulator.control.calls().filter((c) => c.action === 'token').length,
      currentToken: () => simulator.state.tokens.current?.token,
    };
  },
});
