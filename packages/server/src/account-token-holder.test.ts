import { createSimulator, type Simulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { describe, expect, it } from 'vitest';
import { createAccountTokenHolder, type AccountTokenHolderOptions } from './account-token-holder.js';
import { createMemoryHolderStorage, type HolderStorage } from './account-token-store.js';
import { keyHash } from './key-hash.js';
import { memoryAccountTokens } from './memory-account-tokens.js';
import type { TokenAnswer } from './token-answer.js';

const USER = 'acme';
const KEY = 'CANARY-KEY-7d1f0c2e9b';
const WRONG = 'CANARY-WRONG-5a4b3c2d1e';
const BASE = 'http://cloudagent.test';

function setup(options: Partial<AccountTokenHolderOptions> = {}) {
  let clock = Date.UTC(2026, 0, 1, 9);
  const now = () => clock;
  const simulator: Simulator = createSimulator({ userName: USER, apiKey: KEY, auth: 'token', now });
  const lines: string[] = [];
  const storage: HolderStorage = options.storage ?? createMemoryHolderStorage();
  const transport = createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) });
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, message, ...fields }));
  const holder = createAccountTokenHolder({ transport, storage, now, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, ...options });
  const ask = (apiKey: string, rejected?: string) => holder.getToken({ userName: USER, apiKey, baseUrl: BASE, ...(rejected !== undefined ? { rejected } : {}) });
  const generations = () => simulator.control.calls().filter((c) => c.action === 'token').length;
  return { simulator, holder, ask, generations, lines, storage, advance: (ms: number) => (clock += ms), transport, now };
}

const tokenOf = (answer: TokenAnswer) => {
  if (!answer.ok) throw new Error(`expected a token, got ${answer.outcome.kind}: ${answer.outcome.message}`);
  return answer.token;
};

describe('the account token holder', () => {
  it('gives 12 concurrent callers one token from one generation', async () => {
    const { ask, generations, simulator } = setup();
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(KEY)));
    const tokens = new Set(answers.map(tokenOf));
    expect(tokens.size).toBe(1);
    expect(generations()).toBe(1);
    expect(simulator.state.tokens.generatedAt).toHaveLength(1);
    expect(simulator.state.tokens.current?.token).toBe([...tokens][0]);
  });

  it('reuses the token for the same key later, without generating again', async () => {
    const { ask, generations, advance } = setup();
    const first = tokenOf(await ask(KEY));
    advance(30 * 60 * 1000);
    expect(tokenOf(await ask(KEY))).toBe(first);
    expect(generations()).toBe(1);
  });

  it('refuses a wrong key while a valid token is held, and the valid token stays current', async () => {
    const { ask, generations, simulator } = setup();
    const token = tokenOf(await ask(KEY));
    const wrong = await ask(WRONG);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.outcome).toMatchObject({ kind: 'auth_error', vendorMessage: 'Invalid userName or apiKey' });
    // One check of the wrong key, refused by CloudAgent: nothing voided the right key's token.
    expect(generations()).toBe(2);
    expect(simulator.state.tokens.current?.token).toBe(token);
    expect(tokenOf(await ask(KEY))).toBe(token);
    expect(generations()).toBe(2);
  });

  it('remembers a refusal per (account, key hash) for a while, then asks CloudAgent again', async () => {
    const { ask, generations, advance } = setup({ refusals: { rememberMs: 60_000 } });
    await ask(WRONG);
    expect(generations()).toBe(1);
    const again = await Promise.all(Array.from({ length: 20 }, () => ask(WRONG)));
    for (const answer of again) expect(answer).toMatchObject({ ok: false, outcome: { kind: 'auth_error', cause: 'token_refusal_remembered' } });
    expect(generations()).toBe(1);
    advance(60_001);
    expect(await ask(WRONG)).toMatchObject({ ok: false, outcome: { kind: 'auth_error', vendorMessage: 'Invalid userName or apiKey' } });
    expect(generations()).toBe(2);
  });

  it('shares one check among concurrent callers with the same unknown key', async () => {
    const { ask, generations } = setup();
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(WRONG)));
    for (const answer of answers) expect(answer.ok).toBe(false);
    expect(generations()).toBe(1);
  });

  it('caps checks of unproven keys per account; a key that earned a token carries on', async () => {
    const { ask, generations, advance } = setup({ refusals: { maxUnprovenAttempts: 3, unprovenWindowMs: 600_000 } });
    const token = tokenOf(await ask(KEY)); // one of the three checks
    for (let i = 0; i < 2; i++) expect((await ask(`${WRONG}-${i}`)).ok).toBe(false);
    expect(generations()).toBe(3);
    const capped = await ask(`${WRONG}-x`);
    expect(capped).toMatchObject({ ok: false, outcome: { kind: 'rate_limited', cause: 'token_unproven_keys', retryable: true } });
    if (!capped.ok && capped.outcome.kind === 'rate_limited') expect(capped.outcome.retryAfterMs).toBeGreaterThan(0);
    else expect.unreachable('the capped answer is rate_limited');
    expect(generations()).toBe(3);
    expect(tokenOf(await ask(KEY))).toBe(token);
    advance(600_001);
    expect(await ask(`${WRONG}-x`)).toMatchObject({ ok: false, outcome: { kind: 'auth_error' } });
    expect(generations()).toBe(4);
  });

  it('a key whose check failed for want of an answer is still unproven: the ration holds', async () => {
    let sent = 0;
    const transport = createFetchTransport({
      fetch: async () => {
        sent++;
        throw new TypeError('fetch failed');
      },
    });
    const { ask } = setup({ transport, refusals: { maxUnprovenAttempts: 1 } });
    expect(await ask(WRONG)).toMatchObject({ ok: false, outcome: { kind: 'server_error' } });
    expect(sent).toBe(1);
    expect(await ask(WRONG)).toMatchObject({ ok: false, outcome: { kind: 'rate_limited', cause: 'token_unproven_keys' } });
    expect(sent).toBe(1);
  });

  it('replaces a refused (expired) token once, shared by concurrent callers, and not a token already replaced', async () => {
    const { ask, generations } = setup();
    const first = tokenOf(await ask(KEY));
    const replaced = await Promise.all(Array.from({ length: 12 }, () => ask(KEY, first)));
    const second = tokenOf(replaced[0] as TokenAnswer);
    expect(second).not.toBe(first);
    for (const answer of replaced) expect(tokenOf(answer)).toBe(second);
    expect(generations()).toBe(2);
    // A late caller still holding the first token gets the second, not a third generation.
    expect(tokenOf(await ask(KEY, first))).toBe(second);
    expect(generations()).toBe(2);
  });

  it('counts the hourly cap per account across keys, through the storage', async () => {
    const storage = createMemoryHolderStorage();
    const { ask, generations, advance } = setup({ storage, maxGenerationsPerHour: 2 });
    const first = tokenOf(await ask(KEY));
    // (Generations are told apart by their time: the token manager keeps a set of them.)
    advance(1_000);
    const second = tokenOf(await ask(KEY, first));
    advance(1_000);
    expect(await ask(KEY, second)).toMatchObject({ ok: false, outcome: { kind: 'rate_limited', cause: 'token_cap' } });
    expect(generations()).toBe(2);
    expect(await storage.get<number[]>(`generations:${USER}`)).toHaveLength(2);
  });

  it('keeps the token in the storage under the key hash, never the key', async () => {
    const values = new Map<string, unknown>();
    const storage: HolderStorage = {
      get: async (key) => values.get(key) as never,
      put: async (key, value) => void values.set(key, value),
    };
    const { ask } = setup({ storage });
    const token = tokenOf(await ask(KEY));
    expect([...values.keys()]).toEqual(expect.arrayContaining([`token:${USER}:${await keyHash(KEY)}`, `generations:${USER}`]));
    const dump = JSON.stringify([...values]);
    expect(dump).toContain(token);
    expect(dump).not.toContain(KEY);
  });

  it('a holder started over the same storage (a Durable Object woken again) uses the stored token', async () => {
    const first = setup();
    const token = tokenOf(await first.ask(KEY));
    const second = createAccountTokenHolder({ transport: first.transport, storage: first.storage, now: first.now });
    expect(tokenOf(await second.getToken({ userName: USER, apiKey: KEY, baseUrl: BASE }))).toBe(token);
    expect(first.generations()).toBe(1);
  });

  it('never puts a key in a log line or an answer', async () => {
    const { ask, lines, advance } = setup({ refusals: { maxUnprovenAttempts: 2 } });
    const answers = [await ask(KEY), await ask(WRONG), await ask(WRONG), await ask(`${WRONG}-2`), await ask(`${WRONG}-3`)];
    advance(56 * 60 * 1000);
    answers.push(await ask(KEY));
    expect(lines.length).toBeGreaterThan(0);
    const everything = JSON.stringify([lines, answers.map((a) => (a.ok ? 'token' : a.outcome))]);
    expect(everything).not.toContain('CANARY');
  });
});

describe('memoryAccountTokens', () => {
  it('gives the transport client a TokenProvider that throws TokenError on a refused key', async () => {
    const simulator = createSimulator({ userName: USER, apiKey: KEY, auth: 'token' });
    const transport = createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) });
    const source = memoryAccountTokens({ baseUrl: BASE }, { transport });
    await expect(source(USER, KEY).getToken()).resolves.toMatch(/^eyJ/);
    await expect(source(USER, WRONG).getToken()).rejects.toMatchObject({ name: 'TokenError', outcome: { kind: 'auth_error' } });
  });

  it('stops a caller waiting when its signal aborts', async () => {
    const source = memoryAccountTokens({ baseUrl: BASE }, { transport: createFetchTransport({ fetch: () => new Promise<Response>(() => undefined) }) });
    const controller = new AbortController();
    const waiting = source(USER, KEY).getToken({ signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
  });
});
