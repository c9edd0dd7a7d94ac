// Token accounts inside workerd: the shim wired as the Worker wires it (fetch to v2, tokens from the
// AccountTokens Durable Object through workerTokens), with CloudAgent played by a simulator in this
// same isolate: the runtime's fetch to each case's origin is answered by that case's simulator (the
// Durable Object shares the isolate, so its generateToken calls land there too).
import { keyHash } from '@cloudagent-phone/server';
import { createSimulator, type CallRecord, type Simulator } from '@cloudagent-phone/simulator';
import { createFetchTransport, type StoredToken } from '@cloudagent-phone/transport';
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createShim } from '../../src/app.js';
import { ShimConfigError, configFromEnv } from '../../src/config.js';
import { workerTokens } from '../../src/worker-tokens.js';
import { createWorkerShim, type ShimBindings } from '../../src/worker.js';
import { PATH, TOKEN_KEY, TOKEN_SOCKET_USER, WRONG_KEY, defineTokenAccountCases } from '../token-accounts.js';
import './provided-context.js';

const simulators = new Map<string, Simulator>();
const consoleLines: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const request = new Request(input, init);
    const simulator = simulators.get(new URL(request.url).origin);
    return simulator ? simulator.fetch(request) : realFetch(input, init);
  });
  for (const level of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((line: unknown) => void consoleLines.push(String(line)));
  }
});

afterAll(() => {
  vi.restoreAllMocks();
});

let accounts = 0;

async function harness(options: { clock?: () => number } = {}) {
  const n = ++accounts;
  const user = `tokenco${n}`;
  const origin = `https://cloudagent-${n}.test`;
  const simulator = createSimulator({ userName: user, apiKey: TOKEN_KEY, auth: 'token', ...(options.clock ? { now: options.clock } : {}) });
  simulators.set(origin, simulator);
  const logs: string[] = [];
  const config = configFromEnv({ CLOUDAGENT_BASE_URL: origin, SHIM_TOKEN_ACCOUNTS: user });
  const shim = createShim({ config, v2Transport: createFetchTransport(), log: (line) => logs.push(line), ...workerTokens(env, config) });
  return {
    user,
    simulator,
    // The shim's lines, and whatever the Durable Object printed (it shares this isolate's console).
    get logs() {
      return [...logs, ...consoleLines];
    },
    async send(query: string) {
      const res = await shim.fetch(new Request(`https://shim.test${PATH}?${query}`), env, { waitUntil: () => undefined });
      return { status: res.status, body: await res.text(), headers: res.headers };
    },
  };
}

describe('the runtime', () => {
  it('is workerd, not Node', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });
});

defineTokenAccountCases(harness);

describe('the AccountTokens Durable Object', () => {
  it('holds the token under the key hash, never the key, and the shim logged neither', async () => {
    const h = await harness();
    const res = await h.send(`action=create&apiKey=${TOKEN_KEY}&userName=${h.user}&phoneNumber=%2B917000009001&phoneName=Tok9001`);
    expect(res.status).toBe(200);
    const hash = await keyHash(TOKEN_KEY);
    const stub = env.ACCOUNT_TOKENS.get(env.ACCOUNT_TOKENS.idFromName(h.user));
    const { stored, dump } = await runInDurableObject(stub, async (_instance, state) => {
      const all = await state.storage.list();
      return { stored: all.get(`token:${h.user}:${hash}`) as StoredToken | undefined, dump: JSON.stringify([...all]) };
    });
    expect(stored?.token).toBe(h.simulator.state.tokens.current?.token);
    expect(dump).not.toContain(TOKEN_KEY);
    // The object logged its generation (to the console, for Workers Logs), without the key or token.
    const objectLines = consoleLines.filter((l) => l.includes('"source":"account-tokens"'));
    expect(objectLines.some((l) => l.includes('generated a CloudAgent token'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain('CANARY');
    expect(objectLines.join('\n')).not.toContain(String(stored?.token));
  });

  it('a token account without the binding is a configuration error naming the variable', () => {
    const config = configFromEnv({ SHIM_TOKEN_ACCOUNTS: 'acme' });
    expect(() => workerTokens({}, config)).toThrow(ShimConfigError);
    expect(() => workerTokens({}, config)).toThrow(/SHIM_TOKEN_ACCOUNTS needs the ACCOUNT_TOKENS Durable Object binding/);
    expect(workerTokens({}, configFromEnv({}))).toEqual({});
  });
});

// The Worker's own shim (createWorkerShim, what src/worker.ts runs): v2 over the socket transport to
// a TOKEN_AUTH simulator on a loopback port (global-setup.ts), tokens from the ACCOUNT_TOKENS object.
describe("the Worker's own shim for a token account, over sockets", () => {
  const base = inject('simulators').token;
  const control = async <T>(path: string): Promise<T> => (await realFetch(`${base}/__simulator${path}`)).json<T>();
  const calls = () => control<CallRecord[]>('/calls');

  it('12 concurrent callers: one generation, every v2 call with the bearer token; a wrong key refused, nothing applied', async () => {
    const logs: string[] = [];
    const bindings: ShimBindings = { CLOUDAGENT_BASE_URL: base, SHIM_TOKEN_ACCOUNTS: TOKEN_SOCKET_USER, ACCOUNT_TOKENS: env.ACCOUNT_TOKENS };
    const shim = createWorkerShim(bindings, { log: (line) => logs.push(line) });
    const send = async (key: string, n: number) => {
      const res = await shim.fetch(new Request(`https://shim.test${PATH}?action=create&apiKey=${key}&userName=${TOKEN_SOCKET_USER}&phoneNumber=%2B9170000085${String(n).padStart(2, '0')}&phoneName=Sock${n}`), {}, { waitUntil: () => undefined });
      return res.text();
    };
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => send(TOKEN_KEY, i)));
    for (const a of answers) expect(a).toBe('{"status":"success","message":"record inserted successfully"}');
    let seen = await calls();
    expect(seen.filter((c) => c.action === 'token')).toHaveLength(1);
    expect(seen.filter((c) => c.version === 'v2').map((c) => c.auth)).toEqual(Array(12).fill('bearer'));
    const wrong = await send(WRONG_KEY, 50);
    expect(wrong).toBe('{"status":"error","message":"userName or apiKey not valid"}');
    seen = await calls();
    expect(seen.filter((c) => c.version === 'v2')).toHaveLength(12);
    expect(seen.filter((c) => c.action === 'token')).toHaveLength(2);
    expect((await control<{ applied: unknown[] }>('/state')).applied).toHaveLength(12);
    expect([...logs, ...consoleLines].join('\n')).not.toContain('CANARY');
  });
});
