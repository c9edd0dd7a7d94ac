// TOKEN_AUTH accounts behind the Worker's shim, inside workerd: the caller's v1 apiKey is exchanged
// for a v2 token by the account's AccountTokens Durable Object (one per account, shared by every
// isolate), over the socket transport to a token-auth simulator on a loopback port.
import type { CallRecord } from '@cloudagent-phone/simulator';
import { listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { createWorkerShim } from '../../src/worker.js';
import { KEY, PATH, SEED, SUCCESS, USER } from '../matrix.js';
import './provided-context.js';

const WRONG = 'CANARY-KEY-shim-wrong-workerd-8a2f';
const NOT_VALID = '{"status":"error","message":"userName or apiKey not valid"}';
const base = inject('simulators').token;

const control = async <T>(path: string, init?: RequestInit): Promise<T> => {
  const response = await fetch(`${base}/__simulator${path}`, init);
  if (!response.ok) throw new Error(`simulator control ${path}: ${response.status}`);
  return response.json<T>();
};
const calls = () => control<CallRecord[]>('/calls');
const generations = async () => (await calls()).filter((c) => c.version === 'token');
const mutations = async () => (await calls()).filter((c) => c.version === 'v2');
/** Back to the seed; CloudAgent also forgets every token it issued (the holder's becomes "Invalid Token"). */
const resetSimulator = () => control('/reset', { method: 'POST', body: JSON.stringify({ records: SEED }) });

const logs: string[] = [];
const shim = createWorkerShim({ CLOUDAGENT_BASE_URL: base, SHIM_TOKEN_ACCOUNTS: USER, SHIM_TIMEOUT_MS: '5000', ACCOUNT_TOKENS: env.ACCOUNT_TOKENS }, { log: (line) => logs.push(line) });
const ctx = { waitUntil: () => undefined };
const create = (key: string, n: number) => `action=create&apiKey=${key}&userName=${USER}&phoneNumber=%2B9170000006${String(n).padStart(2, '0')}&phoneName=Worker${n}`;
const send = async (query: string) => (await shim.fetch(new Request(`http://shim.test${PATH}?${query}`), {}, ctx)).text();

beforeEach(async () => {
  await resetSimulator();
});

describe('token accounts behind the Worker shim, inside workerd', () => {
  it('12 concurrent v1 callers: one generation, held by the account’s Durable Object', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => send(create(KEY, i))));
    expect(answers).toEqual(Array(12).fill(SUCCESS));
    expect(await generations()).toHaveLength(1);
    expect(await mutations()).toHaveLength(12);
    expect((await mutations()).every((c) => c.auth === 'bearer')).toBe(true);
    expect(await listDurableObjectIds(env.ACCOUNT_TOKENS)).toHaveLength(1);
  });

  it('a wrong key is refused in v1 words, nothing applied, while the valid token stays cached', async () => {
    expect(await send(create(KEY, 20))).toBe(SUCCESS);
    const before = (await generations()).length;
    expect(await send(create(WRONG, 21))).toBe(NOT_VALID);
    expect(await send(create(WRONG, 22))).toBe(NOT_VALID);
    expect(await send(create(KEY, 23))).toBe(SUCCESS);
    // One refused generation; the remembered refusal and the cached token asked nothing more.
    expect((await generations()).length).toBe(before + 1);
    const names = (await control<{ records: { phoneName: string }[] }>('/state')).records.map((r) => r.phoneName);
    expect(names).toEqual(expect.arrayContaining(['Worker20', 'Worker23']));
    expect(names).not.toContain('Worker21');
    expect(names).not.toContain('Worker22');
  });

  it('a token CloudAgent no longer accepts is replaced once, and each call lands once', async () => {
    expect(await send(create(KEY, 30))).toBe(SUCCESS);
    await resetSimulator();
    const answers = await Promise.all([31, 32, 33].map((n) => send(create(KEY, n))));
    expect(answers).toEqual([SUCCESS, SUCCESS, SUCCESS]);
    expect(await generations()).toHaveLength(1);
    const names = (await control<{ records: { phoneName: string }[] }>('/state')).records.map((r) => r.phoneName);
    for (const n of [31, 32, 33]) expect(names.filter((x) => x === `Worker${n}`)).toHaveLength(1);
  });

  it('the Durable Object keeps hashes, never a key; no log line carries one', async () => {
    const [id] = await listDurableObjectIds(env.ACCOUNT_TOKENS);
    const stored = await runInDurableObject(env.ACCOUNT_TOKENS.get(id!), async (_instance, state) => [...(await state.storage.list()).entries()]);
    expect(stored.map(([key]) => key)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^token:${USER}:[0-9a-f]{64}$`)), `generations:${USER}`]));
    const text = JSON.stringify(stored);
    expect(logs.length).toBeGreaterThan(0);
    for (const t of [text, ...logs]) {
      expect(t).not.toContain(KEY);
      expect(t).not.toContain(WRONG);
    }
  });
});
