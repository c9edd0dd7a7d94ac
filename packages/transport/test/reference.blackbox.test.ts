import { isAmbiguous } from '@cloudagent-phone/core';
// Black-box tests of the client's promises (issue 3) and of its wire format (the vendor reference),
// through the published entries only, against the simulator on a real socket.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  TokenError,
  UnsupportedRequestError,
  createClient,
  createFetchTransport,
  createMemoryTokenStore,
  createOfetchTransport,
  createTokenManager,
  type Logger,
} from '@cloudagent-phone/transport';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { startSimulator, type RunningSimulator, type StartOptions } from '@cloudagent-phone/simulator/node';

const KEY = 'CANARY-KEY-transport-bb-9';
const USER = 'blackbox';
const sims: RunningSimulator[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  while (sims.length > 0) await sims.pop()!.close();
});

async function sim(options: StartOptions = {}): Promise<RunningSimulator> {
  const s = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: [{ phoneNumber: '9876543210', phoneName: 'Desk1' }], ...options });
  sims.push(s);
  return s;
}

function recordingLogger() {
  const lines: string[] = [];
  const at = (level: string) => (message: string, fields?: unknown) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

const mutationCalls = (s: RunningSimulator, action: string) => s.control.calls().filter((c) => c.action === action);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wire format against the simulator', () => {
  it.each(['fetch', 'ofetch', 'node-http'] as const)('v2 create/edit/delete over %s, + kept as +', async (kind) => {
    const s = await sim();
    const transport = kind === 'fetch' ? createFetchTransport() : kind === 'ofetch' ? createOfetchTransport() : createNodeHttpTransport();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport, maxRetries: 0 });
    expect((await client.createPhoneNumber({ phoneNumber: '+919876500001', phoneName: 'Plus', skill: 'General,QA_Skill' })).outcome.kind).toBe('success');
    expect(s.control.records().find((r) => r.phoneNumber === '+919876500001')?.skills?.slice().sort()).toEqual(['General', 'QA_Skill']);
    const e = await client.editPhoneNumber({ phoneNumber: '+919876500001', phoneName: 'PLUS', phoneNumberNew: '+919876500002', phoneNameNew: 'Renamed', assignSkill: ['Sales'] });
    expect(e.outcome.kind).toBe('success');
    const rec = s.control.records().find((r) => r.phoneNumber === '+919876500002');
    expect(rec?.phoneName).toBe('Renamed');
    expect(rec?.skills).toContain('Sales');
    expect((await client.deletePhoneNumber({ phoneNumber: '+919876500002', phoneName: 'renamed' })).outcome.kind).toBe('success');
    expect(s.control.records()).toHaveLength(1);
    for (const c of s.control.calls()) expect(c.auth).toBe('apiKey');
  });

  it('v1 sends + as %2B and the new name as PhoneNameNew; the simulator stores the + number', async () => {
    const s = await sim();
    const { logger } = recordingLogger();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, apiVersion: 'v1', logger, maxRetries: 0 });
    const c = await client.createPhoneNumber({ phoneNumber: '+14155550100', phoneName: 'Legacy' });
    expect(c.outcome.kind).toBe('success');
    expect(s.control.records().some((r) => r.phoneNumber === '+14155550100')).toBe(true);
    expect(c.request?.url).toContain('%2B14155550100');
    expect(c.request?.url).not.toContain(KEY);
    const e = await client.editPhoneNumber({ phoneNumber: '+14155550100', phoneName: 'Legacy', phoneNameNew: 'Legacy2' });
    expect(e.outcome.kind).toBe('success');
    expect(mutationCalls(s, 'edit')[0]!.params).toHaveProperty('PhoneNameNew', 'Legacy2');
    expect(s.control.records().find((r) => r.phoneNumber === '+14155550100')?.phoneName).toBe('Legacy2');
  });

  it('documented refusals come back as core outcomes: conflict, limit, partial success, auth', async () => {
    const s = await sim({ phoneNumberLimit: 2 });
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 0 });
    expect((await client.createPhoneNumber({ phoneNumber: '9876543211', phoneName: 'desk1' })).outcome.kind).toBe('conflict');
    expect((await client.createPhoneNumber({ phoneNumber: '9876543212', phoneName: 'Two', skill: 'NoSuchSkill' })).outcome.kind).toBe('partial_success');
    expect((await client.createPhoneNumber({ phoneNumber: '9876543213', phoneName: 'Three' })).outcome.kind).toBe('limit_exceeded');
    const bad = createClient({ userName: USER, apiKey: 'CANARY-KEY-wrong', baseUrl: s.url, maxRetries: 0 });
    expect((await bad.deletePhoneNumber({ phoneNumber: '9876543210', phoneName: 'Desk1' })).outcome.kind).toBe('auth_error');
    const g = await client.getPhoneNumber({ phoneName: 'DESK1' });
    expect(g.outcome.kind).toBe('success');
    expect(JSON.stringify(g.outcome)).toContain('9876543210');
  });

  it('token accounts: Bearer token, generated once for concurrent calls', async () => {
    const s = await sim({ auth: 'token' });
    const client = createClient({ userName: USER, apiKey: KEY, auth: 'token', baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 0 });
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => client.createPhoneNumber({ phoneNumber: `555000${i}`, phoneName: `Tok${i}` })));
    for (const r of results) expect(r.outcome.kind).toBe('success');
    expect(s.control.calls().filter((c) => c.version === 'token')).toHaveLength(1);
    for (const c of s.control.calls().filter((c) => c.version === 'v2')) expect(c.auth).toBe('bearer');
    for (const r of results) expect(JSON.stringify(r)).not.toContain(KEY);
  });
});

describe('token accounts (issue 3)', () => {
  const generate = async (s: RunningSimulator) => {
    const r = await fetch(`${s.url}/ca_apis/CAToken/generateToken`, { method: 'POST', headers: { apiKey: KEY, 'content-type': 'application/json' }, body: JSON.stringify({ userName: USER }) });
    return ((await r.json()) as { token: string }).token;
  };

  it('a token killed by another process ("Invalid Token") is refreshed once and the edit applied once', async () => {
    const s = await sim({ auth: 'token' });
    const client = createClient({ userName: USER, apiKey: KEY, auth: 'token', baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 0 });
    expect((await client.createPhoneNumber({ phoneNumber: '5550301', phoneName: 'T1' })).outcome.kind).toBe('success');
    await generate(s);
    const r = await client.editPhoneNumber({ phoneNumber: '5550301', phoneName: 'T1', phoneNumberNew: '5550302' });
    expect(r.outcome.kind).toBe('success');
    expect(s.control.timesApplied('edit', '5550301')).toBe(1);
    expect(s.control.applied().filter((a) => a.after?.phoneNumber === '5550302')).toHaveLength(1);
    expect(s.control.calls().filter((c) => c.version === 'token')).toHaveLength(3);
    expect(JSON.stringify(r)).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });

  it('an expired token ("Token Expired" after 60 minutes) is replaced before or after use', async () => {
    let t = Date.UTC(2026, 0, 1);
    const now = () => t;
    const s = await sim({ auth: 'token', now });
    const client = createClient({ userName: USER, apiKey: KEY, auth: 'token', baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 0, now });
    expect((await client.getPhoneNumber({ phoneNumber: '9876543210' })).outcome.kind).toBe('success');
    t += 61 * 60_000;
    expect((await client.createPhoneNumber({ phoneNumber: '5550303', phoneName: 'T3' })).outcome.kind).toBe('success');
    expect(s.control.calls().filter((c) => c.version === 'token')).toHaveLength(2);
    expect(s.control.applyCount()).toBe(1);
  });

  it('never more than 10 generations an hour, even when every token is rejected', async () => {
    const s = await sim({ auth: 'token' });
    const manager = createTokenManager({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createFetchTransport(), store: createMemoryTokenStore() });
    let token = await manager.getToken();
    let refused: unknown;
    for (let i = 0; i < 12; i++) {
      try {
        token = await manager.getToken({ rejected: token });
      } catch (error) {
        refused = error;
        break;
      }
    }
    expect(refused).toBeInstanceOf(TokenError);
    expect(s.control.calls().filter((c) => c.version === 'token').length).toBeLessThanOrEqual(10);
  });

  it('concurrent refreshes of the same rejected token generate one token', async () => {
    const s = await sim({ auth: 'token' });
    const manager = createTokenManager({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createFetchTransport() });
    const first = await manager.getToken();
    const next = await Promise.all([1, 2, 3, 4].map(() => manager.getToken({ rejected: first })));
    expect(new Set(next).size).toBe(1);
    expect(next[0]).not.toBe(first);
    expect(s.control.calls().filter((c) => c.version === 'token')).toHaveLength(2);
  });
});

describe('transports declare what they can do', () => {
  it('only node:http can send a GET with a body', () => {
    expect(createFetchTransport().capabilities.getWithBody).toBe(false);
    expect(createOfetchTransport().capabilities.getWithBody).toBe(false);
    expect(createNodeHttpTransport().capabilities.getWithBody).toBe(true);
  });

  it('a user transport receives the v2 wire format: apiKey header, JSON body, GET-with-body get, comma skills', async () => {
    const seen: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
    const client = createClient({
      userName: USER,
      apiKey: KEY,
      transport: {
        name: 'mine',
        capabilities: { getWithBody: true },
        async send(request) {
          seen.push(request);
          return { status: 200, headers: {}, body: request.method === 'GET' ? '{"phoneNumber": "94XXXXXX", "phoneName": "PaXXXXX"}' : '{"status":"success","message":"record inserted successfully"}' };
        },
      },
    });
    expect((await client.editPhoneNumber({ phoneNumber: '+911234', phoneName: 'Ab', phoneNumberNew: '+911235', phoneNameNew: 'Cd', assignSkill: ['General', 'QA_Skill'], unAssignSkill: 'Sales' })).outcome.kind).toBe('success');
    expect((await client.getPhoneNumber({ phoneName: 'pAxxxxx' })).outcome.kind).toBe('success');
    const [edit, get] = seen;
    expect(edit!.method).toBe('POST');
    expect(new URL(edit!.url).pathname).toBe('/ca_apis/PhoneManageV2');
    const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lower(edit!.headers)['apikey']).toBe(KEY);
    expect(lower(edit!.headers)['content-type']).toContain('application/json');
    expect(JSON.parse(edit!.body!)).toMatchObject({ action: 'edit', userName: USER, phoneNumber: '+911234', phoneNumberNew: '+911235', assignSkill: 'General,QA_Skill', unAssignSkill: 'Sales' });
    expect(get!.method).toBe('GET');
    expect(JSON.parse(get!.body!)).toEqual({ action: 'get', userName: USER, phoneName: 'pAxxxxx' });
  });

  it.each(['fetch', 'ofetch', 'node-http'] as const)('connection refused over %s: never sent, so a create is retried and not ambiguous', async (kind) => {
    const transport = kind === 'fetch' ? createFetchTransport() : kind === 'ofetch' ? createOfetchTransport() : createNodeHttpTransport();
    for (const port of [1, await closedPort()]) {
      const client = createClient({ userName: USER, apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, transport, maxRetries: 2, sleep: async () => {} });
      const r = await client.createPhoneNumber({ phoneNumber: '5550401', phoneName: 'Refused' });
      expect(isAmbiguous(r.outcome)).toBe(false);
      expect(r.outcome.kind).toBe('server_error');
      expect(r.attempts).toBe(3);
      expect(JSON.stringify(r)).not.toContain(KEY);
    }
  });
});

async function closedPort(): Promise<number> {
  const s = await sim();
  const { port } = s;
  await sims.pop()!.close();
  return port;
}

describe('validation before anything is sent', () => {
  it('a 2-digit number, an 18-digit number and a bad name send nothing and name the field', async () => {
    const s = await sim();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url });
    for (const [input, field] of [
      [{ phoneNumber: '12', phoneName: 'Abc' }, 'phoneNumber'],
      [{ phoneNumber: '123456789012345678', phoneName: 'Abc' }, 'phoneNumber'],
      [{ phoneNumber: '5550001', phoneName: '-Abc' }, 'phoneName'],
    ] as const) {
      const r = await client.createPhoneNumber(input);
      expect(r.sent).toBe(false);
      expect(r.outcome.kind).toBe('validation_error');
      expect(r.issues?.some((i) => i.field === field)).toBe(true);
    }
    expect(s.control.calls()).toHaveLength(0);
  });
});

describe('no mutation is sent twice once it may have arrived', () => {
  const faults = [
    { kind: 'server-error', afterApplying: true },
    { kind: 'html-error', afterApplying: true },
    { kind: 'drop-after' },
    { kind: 'garbled' },
    { kind: 'server-error' },
    { kind: 'drop-before' },
  ] as const;

  it.each(faults)('edit with fault %o: exactly one edit request, applied at most once, settled by read-back', async (fault) => {
    const s = await sim();
    s.control.setFaults({ queue: [fault as never], actions: ['edit'] });
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 5, retryDelay: { baseMs: 1, maxMs: 5 } });
    const r = await client.editPhoneNumber({ phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543299' });
    expect(mutationCalls(s, 'edit')).toHaveLength(1);
    expect(s.control.applyCount()).toBeLessThanOrEqual(1);
    const landed = s.control.records().some((x) => x.phoneNumber === '9876543299');
    if (landed) {
      expect(r.outcome.kind).toBe('success');
      expect(r.readBack?.verdict).toBe('applied');
    } else {
      expect(r.outcome.kind).not.toBe('success');
      expect(r.readBack?.verdict ?? 'not_applied').toBe('not_applied');
    }
  });

  it('over fetch (no read-back) an ambiguous edit is reported ambiguous and not re-sent', async () => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'drop-after' }] });
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, maxRetries: 5, retryDelay: { baseMs: 1, maxMs: 5 } });
    const r = await client.editPhoneNumber({ phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543298' });
    expect(isAmbiguous(r.outcome)).toBe(true);
    expect(r.outcome.kind).not.toBe('success');
    expect(mutationCalls(s, 'edit')).toHaveLength(1);
    expect(s.control.applyCount()).toBe(1);
  });

  it('a 429 is refused at the door: the mutation is retried and applied once', async () => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 0 }] });
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, maxRetries: 2, retryDelay: { baseMs: 1, maxMs: 5 } });
    const r = await client.createPhoneNumber({ phoneNumber: '5550077', phoneName: 'Rl' });
    expect(r.outcome.kind).toBe('success');
    expect(mutationCalls(s, 'create')).toHaveLength(2);
    expect(s.control.applyCount()).toBe(1);
  });

  it('a user retry of an edit that already landed is success, not conflict', async () => {
    const s = await sim();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createNodeHttpTransport() });
    const input = { phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543297', phoneNameNew: 'Desk2' };
    expect((await client.editPhoneNumber(input)).outcome.kind).toBe('success');
    const again = await client.editPhoneNumber(input);
    expect(again.outcome.kind).toBe('success');
    expect(s.control.applyCount()).toBe(1);
  });
});

describe('retries follow core\'s policy', () => {
  it('a read is retried after 5xx and resets, with backoff; Retry-After is honoured but capped', async () => {
    const s = await sim();
    const waits: number[] = [];
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 3, retryDelay: { baseMs: 10, maxMs: 2000 }, sleep: async (ms: number) => void waits.push(ms) });
    s.control.setFaults({ queue: [{ kind: 'server-error' }, { kind: 'drop-before' }, { kind: 'rate-limit', retryAfterSeconds: 3600 }] });
    const r = await client.getPhoneNumber({ phoneNumber: '9876543210' });
    expect(r.outcome.kind).toBe('success');
    expect(r.attempts).toBe(4);
    expect(waits).toHaveLength(3);
    expect(waits[2]).toBe(2000);
    for (const w of waits) expect(w).toBeLessThanOrEqual(2000);
  });

  it('the result carries the redacted request and its timing', async () => {
    const s = await sim();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url });
    const r = await client.createPhoneNumber({ phoneNumber: '5550501', phoneName: 'Timed' });
    expect(r.sent).toBe(true);
    expect(r.request?.method).toBe('POST');
    expect(JSON.stringify(r.request)).not.toContain(KEY);
    expect(typeof r.durationMs).toBe('number');
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('timeouts cancel the request', () => {
  it('a timed-out edit is aborted on the wire: the server sees the abort and applies nothing', async () => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'latency', ms: 600, abortable: true }] });
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, timeoutMs: 100, maxRetries: 0, readBack: false });
    const r = await client.editPhoneNumber({ phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543296' });
    expect(isAmbiguous(r.outcome)).toBe(true);
    expect(r.outcome.kind).toBe('unknown');
    await sleep(900);
    expect(s.control.applyCount()).toBe(0);
    expect(s.control.records()[0]!.phoneNumber).toBe('9876543210');
    expect(mutationCalls(s, 'edit')).toHaveLength(1);
  });

  it.each(['fetch', 'ofetch', 'node-http'] as const)('a per-call timeoutMs over %s closes the connection (the server sees the abort)', async (kind) => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'latency', ms: 2000, abortable: true }] });
    const transport = kind === 'fetch' ? createFetchTransport() : kind === 'ofetch' ? createOfetchTransport() : createNodeHttpTransport();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport, maxRetries: 0, readBack: false });
    const r = await client.deletePhoneNumber({ phoneNumber: '9876543210', phoneName: 'Desk1' }, { timeoutMs: 100 });
    expect(r.outcome.kind).toBe('unknown');
    expect(isAmbiguous(r.outcome)).toBe(true);
    await vi.waitFor(() => expect(mutationCalls(s, 'delete')[0]?.aborted).toBe(true), { timeout: 1500, interval: 20 });
    expect(s.control.applyCount()).toBe(0);
  });

  it('the caller\'s AbortSignal cancels too, with no retry', async () => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'latency', ms: 600, abortable: true }] });
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: createNodeHttpTransport(), maxRetries: 3 });
    const controller = new AbortController();
    const pending = client.editPhoneNumber({ phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543295' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const r = await pending;
    expect(r.outcome.kind).not.toBe('success');
    await sleep(900);
    expect(s.control.applyCount()).toBe(0);
    expect(mutationCalls(s, 'edit')).toHaveLength(1);
  });
});

describe('programmer errors and the v1 deprecation', () => {
  it.each(['fetch', 'ofetch'] as const)('get over %s throws a clear UnsupportedRequestError and sends nothing', async (kind) => {
    const s = await sim();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, transport: kind === 'fetch' ? createFetchTransport() : createOfetchTransport() });
    const p = client.getPhoneNumber({ phoneNumber: '9876543210' });
    await expect(p).rejects.toBeInstanceOf(UnsupportedRequestError);
    await expect(client.getPhoneNumber({ phoneNumber: '9876543210' })).rejects.toThrow(/use createKeepAliveTransport \(or createNodeHttpTransport\)/);
    expect(s.control.calls()).toHaveLength(0);
  });

  it('v1 warns once per client, not once per call', async () => {
    const s = await sim();
    const a = recordingLogger();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, apiVersion: 'v1', logger: a.logger });
    await client.createPhoneNumber({ phoneNumber: '5550101', phoneName: 'One' });
    await client.createPhoneNumber({ phoneNumber: '5550102', phoneName: 'Two' });
    await client.deletePhoneNumber({ phoneNumber: '5550102', phoneName: 'Two' });
    const warnings = a.lines.filter((l) => l.startsWith('warn') && /deprecat/i.test(l));
    expect(warnings).toHaveLength(1);
    const b = recordingLogger();
    createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, apiVersion: 'v1', logger: b.logger });
    expect(b.lines.filter((l) => l.startsWith('warn') && /deprecat/i.test(l))).toHaveLength(1);
    const v2 = recordingLogger();
    createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, logger: v2.logger });
    expect(v2.lines.filter((l) => /deprecat/i.test(l))).toHaveLength(0);
    for (const line of [...a.lines, ...b.lines]) expect(line).not.toContain(KEY);
  });

  it('v1 with no logger warns once on console.warn', async () => {
    const s = await sim();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, apiVersion: 'v1' });
    await client.createPhoneNumber({ phoneNumber: '5550103', phoneName: 'Three' });
    await client.createPhoneNumber({ phoneNumber: '5550104', phoneName: 'Four' });
    expect(warn.mock.calls.filter((c) => /deprecat/i.test(String(c[0])))).toHaveLength(1);
  });

  it('a v1 client looks numbers up over v2 with the same key; token auth cannot use v1', async () => {
    const s = await sim();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => createClient({ userName: USER, apiKey: KEY, auth: 'token', baseUrl: s.url, apiVersion: 'v1' })).toThrow();
    expect(s.control.calls()).toHaveLength(0);
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, apiVersion: 'v1', transport: createNodeHttpTransport() });
    const r = await client.getPhoneNumber({ phoneNumber: '9876543210' });
    expect(['success', 'not_found']).toContain(r.outcome.kind);
    expect(s.control.calls().map((c) => c.version)).toEqual(['v2']);
  });
});

describe('secrets never leak', () => {
  it('the key is absent from results, logs and errors, even on failures', async () => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'html-error' }, { kind: 'garbled' }] });
    const { logger, lines } = recordingLogger();
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: s.url, apiVersion: 'v1', logger, maxRetries: 0 });
    const results = [
      await client.createPhoneNumber({ phoneNumber: '5550201', phoneName: 'Leak1' }),
      await client.createPhoneNumber({ phoneNumber: '5550202', phoneName: 'Leak2' }),
      await client.createPhoneNumber({ phoneNumber: '12', phoneName: 'Leak3' }),
    ];
    const dead = createClient({ userName: USER, apiKey: KEY, baseUrl: 'http://127.0.0.1:1', apiVersion: 'v1', logger, maxRetries: 0 });
    results.push(await dead.createPhoneNumber({ phoneNumber: '5550203', phoneName: 'Leak4' }));
    expect(JSON.stringify(results)).not.toContain(KEY);
    expect(String(results[3]!.outcome.message)).not.toContain(KEY);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});
