import { createSimulator } from '@cloudagent-phone/simulator';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createMemoryKeyValueStorage, createTokenAccounts, type KeyValueStorage } from '../src/token-accounts.js';
import { TokenError } from '../src/token-manager.js';
import { createTokenHolder, remoteTokenAccounts, type TokenRequest } from '../src/token-holder.js';

const KEY = 'CANARY-KEY-accounts-3e9d';
const WRONG = 'CANARY-KEY-wrong-71aa';
const MINUTE = 60_000;

/** A token-auth CloudAgent (the simulator, in process) with its own clock, and accounts in front of it. */
function setup(options: { maxRefusalsPerUser?: number } = {}) {
  let t = 1_700_000_000_000;
  let serverAhead = 0;
  const sim = createSimulator({ userName: 'acme', apiKey: KEY, auth: 'token', now: () => t + serverAhead });
  const transport = createFetchTransport({ fetch: (input, init) => sim.fetch(new Request(input, init)) });
  const records: [string, unknown][] = [];
  const memory = createMemoryKeyValueStorage();
  const storage: KeyValueStorage = {
    get: (key) => memory.get(key),
    put: async (key, value) => {
      records.push([key, value]);
      await memory.put(key, value);
    },
  };
  const accounts = createTokenAccounts({ baseUrl: 'https://cloudagent.test', transport, storage, now: () => t, ...options });
  const generations = () => sim.control.calls().filter((c) => c.version === 'token');
  const client = (apiKey: string) =>
    createClient({ userName: 'acme', apiKey, auth: 'token', tokenProvider: accounts.providerFor('acme', apiKey), baseUrl: 'https://cloudagent.test', transport, maxRetries: 0 });
  return { sim, accounts, generations, client, records, advance: (ms: number) => (t += ms), serverAdvance: (ms: number) => (serverAhead += ms) };
}

async function tokenError(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('expected a TokenError');
}

describe('token accounts (keys from the callers)', () => {
  it('12 concurrent callers with the same key share one generation', async () => {
    const { accounts, generations } = setup();
    const tokens = await Promise.all(Array.from({ length: 12 }, () => accounts.getToken('acme', KEY)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^eyJ/);
    expect(generations()).toHaveLength(1);
  });

  it('a wrong key is refused while a valid token is cached, never rides it, and the valid token keeps working', async () => {
    const { accounts, generations, client } = setup();
    const valid = await accounts.getToken('acme', KEY);
    const refused = await tokenError(accounts.getToken('acme', WRONG));
    expect(refused.outcome).toMatchObject({ kind: 'auth_error', message: 'Invalid userName or apiKey' });
    expect(generations()).toHaveLength(2);
    // Remembered: the same wrong key does not reach CloudAgent again for a while.
    expect((await tokenError(accounts.getToken('acme', WRONG))).outcome.kind).toBe('auth_error');
    expect(generations()).toHaveLength(2);
    // The refused generation voided nothing: the right key's token is still the one in use.
    expect(await accounts.getToken('acme', KEY)).toBe(valid);
    const edit = await client(KEY).createPhoneNumber({ phoneNumber: '7001112223', phoneName: 'Desk' });
    expect(edit.outcome.kind).toBe('success');
    const wrong = await client(WRONG).createPhoneNumber({ phoneNumber: '7001112224', phoneName: 'Desk2' });
    expect(wrong.outcome.kind).toBe('auth_error');
    expect(generations()).toHaveLength(2);
  });

  it('a refused key may ask again once its refusal is forgotten', async () => {
    const { accounts, generations, advance } = setup();
    await tokenError(accounts.getToken('acme', WRONG));
    advance(61_000);
    await tokenError(accounts.getToken('acme', WRONG));
    expect(generations()).toHaveLength(2);
  });

  it('made-up keys cannot hammer generateToken: past the refusal cap, new keys wait; a key with a token does not', async () => {
    const { accounts, generations, advance } = setup({ maxRefusalsPerUser: 3 });
    const valid = await accounts.getToken('acme', KEY);
    for (let i = 0; i < 3; i++) expect((await tokenError(accounts.getToken('acme', `made-up-${i}`))).outcome.kind).toBe('auth_error');
    const paused = await tokenError(accounts.getToken('acme', 'made-up-4'));
    expect(paused.outcome).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(paused.outcome.retryAfterMs).toBeGreaterThan(0);
    expect(generations()).toHaveLength(4);
    expect(await accounts.getToken('acme', KEY)).toBe(valid);
    advance(61_000);
    expect((await tokenError(accounts.getToken('acme', 'made-up-5'))).outcome.kind).toBe('auth_error');
    expect(generations()).toHaveLength(5);
  });

  it('Token Expired from CloudAgent: one new token, the request sent once more, and it lands', async () => {
    const { sim, accounts, generations, client, serverAdvance } = setup();
    const first = await accounts.getToken('acme', KEY);
    // CloudAgent's clock says the hour is over; ours does not know yet.
    serverAdvance(61 * MINUTE);
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => client(KEY).createPhoneNumber({ phoneNumber: `70011122${30 + i}`, phoneName: `Desk${i}` })));
    expect(results.map((r) => r.outcome.kind)).toEqual(['success', 'success', 'success', 'success']);
    expect(generations()).toHaveLength(2);
    expect(await accounts.getToken('acme', KEY)).not.toBe(first);
    expect(sim.control.records().filter((r) => r.phoneName.startsWith('Desk'))).toHaveLength(4);
  });

  it('one hourly budget per user name, whatever the key: past 10 generations nothing more is asked, for any key', async () => {
    const { accounts, generations, advance } = setup({ maxRefusalsPerUser: 100 });
    let token = await accounts.getToken('acme', KEY);
    // Each replacement of a rejected token is a generation: 10 in all within the hour.
    for (let i = 0; i < 9; i++) {
      advance(1000);
      token = await accounts.getToken('acme', KEY, { rejected: token });
    }
    advance(1000);
    expect(generations()).toHaveLength(10);
    const capped = await tokenError(accounts.getToken('acme', KEY, { rejected: token }));
    expect(capped.outcome).toMatchObject({ kind: 'rate_limited', cause: 'token_cap' });
    // Another key of the same account meets the same budget, before CloudAgent is asked.
    expect((await tokenError(accounts.getToken('acme', 'another-key'))).outcome).toMatchObject({ kind: 'rate_limited', cause: 'token_cap' });
    expect(generations()).toHaveLength(10);
  });

  it('keeps no key: only hashes name the entries, and the canary is in no stored value or error', async () => {
    const { accounts, records } = setup();
    await accounts.getToken('acme', KEY);
    const refused = await tokenError(accounts.getToken('acme', WRONG));
    const stored = JSON.stringify(records);
    expect(records.length).toBeGreaterThan(0);
    for (const canary of [KEY, WRONG]) {
      expect(stored).not.toContain(canary);
      expect(JSON.stringify(refused.outcome)).not.toContain(canary);
      expect(refused.message).not.toContain(canary);
    }
    expect(records.map(([k]) => k)).toEqual(expect.arrayContaining([expect.stringMatching(/^token:acme:[0-9a-f]{64}$/), 'generations:acme']));
  });
});

describe('token holder (the inside of a Durable Object) and remote token accounts', () => {
  it('answers with data across the boundary and keeps one generation for 12 concurrent callers', async () => {
    const sim = createSimulator({ userName: 'acme', apiKey: KEY, auth: 'token' });
    const transport = createFetchTransport({ fetch: (input, init) => sim.fetch(new Request(input, init)) });
    const holder = createTokenHolder({ storage: createMemoryKeyValueStorage(), transport });
    const requests: TokenRequest[] = [];
    // Through JSON, as RPC would carry it: nothing but data crosses.
    const remote = remoteTokenAccounts(
      () => ({
        getToken: async (request) => {
          requests.push(request);
          return JSON.parse(JSON.stringify(await holder.getToken(JSON.parse(JSON.stringify(request)))));
        },
      }),
      { baseUrl: 'https://cloudagent.test', timeoutMs: 5000 },
    );
    const tokens = await Promise.all(Array.from({ length: 12 }, () => remote.getToken('acme', KEY)));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.control.calls().filter((c) => c.version === 'token')).toHaveLength(1);
    expect(requests[0]).toEqual({ userName: 'acme', apiKey: KEY, baseUrl: 'https://cloudagent.test', timeoutMs: 5000 });
    const refused = await tokenError(remote.getToken('acme', WRONG));
    expect(refused).toBeInstanceOf(TokenError);
    expect(refused.outcome.kind).toBe('auth_error');
  });
});
