import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { TokenError, createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore } from '../src/token-store.js';
import { SUCCESS, fakeTransport, json, vendor, type Seen } from './fake-transport.js';

const CANARY = 'CANARY-KEY-token-55ab';
const MINUTE = 60_000;

/** A token endpoint that hands out tok-1, tok-2, ... and remembers which one is current. */
function tokenServer(phone: (seen: Seen, current: string) => ReturnType<typeof json> = () => SUCCESS) {
  let n = 0;
  let current = '';
  const fake = fakeTransport(
    (seen) => {
      if (seen.action === 'token') {
        current = `tok-${++n}`;
        return () => new Promise((resolve) => setTimeout(() => resolve(json({ token: current, message: '' })), 10));
      }
      return phone(seen, current);
    },
    true,
  );
  return { ...fake, generations: () => n, current: () => current };
}

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token manager', () => {
  it('20 concurrent callers share one generation', async () => {
    const server = tokenServer();
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => manager.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['tok-1']));
    expect(server.generations()).toBe(1);
    const request = server.seen[0]!.request;
    expect(request.url).toMatch(/\/ca_apis\/CAToken\/generateToken$/);
    expect(request.headers.apiKey).toBe(CANARY);
    expect(server.seen[0]!.body).toEqual({ userName: 'acme' });
  });

  it('reuses the token until 5 minutes before its hour ends, then generates a new one', async () => {
    const server = tokenServer();
    const c = clock();
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, now: c.now });
    expect(await manager.getToken()).toBe('tok-1');
    c.advance(54 * MINUTE);
    expect(await manager.getToken()).toBe('tok-1');
    c.advance(2 * MINUTE);
    expect(await manager.getToken()).toBe('tok-2');
    expect(server.generations()).toBe(2);
  });

  it('replaces a rejected token only if it is still the current one', async () => {
    const server = tokenServer();
    const store = createMemoryTokenStore();
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, store });
    expect(await manager.getToken()).toBe('tok-1');
    const replaced = await Promise.all(Array.from({ length: 5 }, () => manager.getToken({ rejected: 'tok-1' })));
    expect(new Set(replaced)).toEqual(new Set(['tok-2']));
    expect(server.generations()).toBe(2);
    // A late report about the old token must not void the new one.
    expect(await manager.getToken({ rejected: 'tok-1' })).toBe('tok-2');
    expect(server.generations()).toBe(2);
  });

  it('shares one token through a shared store', async () => {
    const server = tokenServer();
    const store = createMemoryTokenStore();
    const a = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, store });
    const b = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, store });
    expect(await a.getToken()).toBe('tok-1');
    expect(await b.getToken()).toBe('tok-1');
    expect(server.generations()).toBe(1);
    expect((await store.get())?.generations).toHaveLength(1);
  });

  it('counts generations made in the same millisecond each toward the cap', async () => {
    const server = tokenServer();
    const c = clock();
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, now: c.now });
    let token = await manager.getToken();
    // The clock never moves: ten generations in one millisecond are ten, not one.
    for (let i = 0; i < 9; i++) token = await manager.getToken({ rejected: token });
    expect(server.generations()).toBe(10);
    const error = await manager.getToken({ rejected: token }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).outcome).toMatchObject({ kind: 'rate_limited', cause: 'token_cap' });
    expect(server.generations()).toBe(10);
  });

  it("counts another process's generations in the same millisecond apart from this one's, and each of its own once", async () => {
    const server = tokenServer();
    const c = clock();
    const store = createMemoryTokenStore();
    const a = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, store, now: c.now });
    const b = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, store, now: c.now });
    // Five each, alternating, on a clock that never moves: ten in the store, all distinct.
    let token = await a.getToken();
    for (let i = 1; i < 10; i++) token = await (i % 2 === 0 ? a : b).getToken({ rejected: token });
    expect(server.generations()).toBe(10);
    expect(new Set((await store.get())?.generations).size).toBe(10);
    for (const manager of [a, b]) {
      const error = await manager.getToken({ rejected: token }).catch((e: unknown) => e);
      expect((error as TokenError).outcome).toMatchObject({ kind: 'rate_limited', cause: 'token_cap' });
    }
    expect(server.generations()).toBe(10);
  });

  it('never generates more than 10 tokens per rolling hour', async () => {
    const server = tokenServer();
    const c = clock();
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport, now: c.now });
    let token = await manager.getToken();
    for (let i = 0; i < 9; i++) {
      c.advance(MINUTE);
      token = await manager.getToken({ rejected: token });
    }
    expect(server.generations()).toBe(10);
    c.advance(MINUTE);
    const error = await manager.getToken({ rejected: token }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).outcome).toMatchObject({ kind: 'rate_limited', cause: 'token_cap', retryAfterMs: 50 * MINUTE });
    expect((error as Error).message).toContain('10 tokens were generated in the last hour');
    expect(server.generations()).toBe(10);
    c.advance(50 * MINUTE);
    expect(await manager.getToken({ rejected: token })).toBe('tok-11');
  });

  it("a caller's abort stops its own wait, not the generation others share", async () => {
    const server = tokenServer();
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: server.transport });
    const controller = new AbortController();
    const impatient = manager.getToken({ signal: controller.signal });
    const patient = manager.getToken();
    controller.abort(new Error('gave up'));
    await expect(impatient).rejects.toThrow('gave up');
    expect(await patient).toBe('tok-1');
    expect(server.generations()).toBe(1);
  });

  it('reports a refused generation as a TokenError carrying the outcome', async () => {
    const fake = fakeTransport(() => json({ status: 'false', message: 'Invalid userName or apiKey', data: null }));
    const manager = createTokenManager({ userName: 'acme', apiKey: CANARY, transport: fake.transport });
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).outcome.kind).toBe('auth_error');
  });
});

describe('client with token auth', () => {
  const edit = { phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Sales' };

  it('sends the bearer token and generates it once for 20 concurrent calls', async () => {
    const server = tokenServer();
    const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: server.transport });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.editPhoneNumber({ ...edit, phoneNameNew: `Sales${i}` })));
    expect(results.every((r) => r.outcome.kind === 'success')).toBe(true);
    expect(server.generations()).toBe(1);
    const phoneCalls = server.seen.filter((s) => s.action === 'edit');
    expect(phoneCalls).toHaveLength(20);
    expect(phoneCalls.every((s) => s.request.headers.Authorization === 'Bearer tok-1' && s.request.headers.apiKey === undefined)).toBe(true);
    expect(JSON.stringify(results)).not.toContain(CANARY);
    expect(JSON.stringify(results)).not.toContain('tok-1');
  });

  it('replaces an expired token once and re-sends the mutation (refused before it was applied)', async () => {
    const server = tokenServer((seen, current) =>
      seen.request.headers.Authorization === `Bearer ${current}` && current !== 'tok-1' ? SUCCESS : json({ status: 'false', message: 'Token Expired', data: null }),
    );
    const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: server.transport });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome.kind).toBe('success');
    expect(r.attempts).toBe(2);
    expect(server.generations()).toBe(2);
  });

  it('replaces it only once when the server keeps refusing', async () => {
    const server = tokenServer(() => vendor('false', 'Invalid Token', 401));
    const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: server.transport, maxRetries: 5 });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome).toMatchObject({ kind: 'auth_error', field: 'token' });
    expect(r.attempts).toBe(2);
    expect(server.generations()).toBe(2);
  });

  it('returns the cap as an outcome, sending nothing', async () => {
    const fake = fakeTransport(() => SUCCESS);
    const provider = {
      getToken: async () => {
        throw new TokenError({ kind: 'rate_limited', message: 'cap', retryable: true, cause: 'token_cap' });
      },
    };
    const c = createClient({ userName: 'acme', auth: 'token', tokenProvider: provider, transport: fake.transport });
    const r = await c.editPhoneNumber(edit);
    expect(r).toMatchObject({ sent: false, attempts: 0, outcome: { kind: 'rate_limited', cause: 'token_cap' } });
    expect(fake.seen).toHaveLength(0);
  });
});

describe('client with token auth: generation failures', () => {
  const edit = { phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Sales' };

  it('retries a token endpoint that is down, then sends once', async () => {
    let tokenCalls = 0;
    const fake = fakeTransport((seen) => {
      if (seen.action !== 'token') return SUCCESS;
      tokenCalls++;
      return tokenCalls === 1 ? vendor('error', 'x', 503) : json({ token: 'tok-ok', message: '' });
    });
    const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: fake.transport, sleep: async () => {} });
    const r = await c.editPhoneNumber(edit);
    expect(r.outcome.kind).toBe('success');
    expect(tokenCalls).toBe(2);
    expect(fake.sent('edit')).toBe(1);
  });

  it('does not wait inside a call for the server to lift its token cap (429)', async () => {
    const sleeps: number[] = [];
    const fake = fakeTransport(() => vendor('error', 'Max limit exceeded', 429, { 'retry-after': '3000' }));
    const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: fake.transport, sleep: async (ms) => void sleeps.push(ms) });
    const r = await c.editPhoneNumber(edit);
    expect(r).toMatchObject({ sent: false, outcome: { kind: 'rate_limited', retryAfterMs: 3_000_000 } });
    expect(sleeps).toEqual([]);
    expect(fake.sent('token')).toBe(1);
    expect(fake.sent('edit')).toBe(0);
  });
});

it('turns a failing token store into an outcome, sending nothing', async () => {
  const fake = fakeTransport(() => json({ token: 'tok-x', message: '' }));
  const store = { get: async () => { throw new Error(`storage unavailable for ${CANARY}`); }, set: async () => {} };
  const c = createClient({ userName: 'acme', apiKey: CANARY, auth: 'token', transport: fake.transport, tokenProvider: createTokenManager({ userName: 'acme', apiKey: CANARY, transport: fake.transport, store }) });
  const r = await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Sales' });
  expect(r).toMatchObject({ sent: false, outcome: { kind: 'server_error', cause: 'token_provider' } });
  expect(r.outcome.message).toContain('storage unavailable');
  expect(JSON.stringify(r)).not.toContain(CANARY);
  expect(fake.sent('edit')).toBe(0);
});
