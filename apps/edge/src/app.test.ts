import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { describe, expect, it } from 'vitest';
import { BASIC_KEY, CANARIES, TEAM_TOKENS, TOKEN_KEY, edgeEnv } from '../test/suite/fixtures.js';
import { createEdgeApp } from './app.js';
import { parseConfig, type EdgeConfig } from './config.js';
import { createMemoryAuditStore } from './audit/memory-store.js';
import { createMemoryIdempotencyStore } from './idempotency/memory-store.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';

const memoryStores = () => ({ idempotencyStore: createMemoryIdempotencyStore(), auditStore: createMemoryAuditStore(), rateLimiter: createMemoryRateLimiter() });
const unreachable = () => createFetchTransport({ fetch: () => Promise.reject(new Error('unused')) });

// createEdgeApp with the simulator's fetch injected: the app's real code paths, no sockets.
function config(overrides: Record<string, string> = {}): EdgeConfig {
  const result = parseConfig({ ...edgeEnv('https://cloudagent.test'), ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const alpha = { authorization: `Bearer ${TEAM_TOKENS.alpha}`, 'content-type': 'application/json' };

describe('createEdgeApp', () => {
  it('answers a lookup, by number or by name, with 501 and the way out when its transport cannot send a GET with a body', async () => {
    // Both runtimes' own transports can (node:http, the socket transport); a fetch-based one cannot.
    const app = createEdgeApp({ ...memoryStores(), config: config(), transport: createFetchTransport({ fetch: () => Promise.reject(new Error('must not be called')) }) });
    for (const path of ['/phone-numbers/8001234567?userName=demo', '/phone-numbers?userName=demo&phoneName=Support-line']) {
      const response = await app.request(path, { headers: alpha });
      expect(response.status, path).toBe(501);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'urn:cloudagent-phone:problem:not-implemented', status: 501 });
      expect(String(body.detail)).toMatch(/GET with a JSON body/);
      // The way out names the recommended Node transport first (transport's GET_WITH_BODY_FIX).
      expect(String(body.detail)).toMatch(/: use createKeepAliveTransport \(or createNodeHttpTransport\) from @cloudagent-phone\/transport\/node/);
    }
  });

  it('turns an unexpected error into a 500 problem with only the request id, and logs it redacted', async () => {
    const lines: string[] = [];
    const app = createEdgeApp({
      ...memoryStores(),
      config: config(),
      transport: createFetchTransport({ fetch: () => Promise.reject(new Error('unused')) }),
      rateLimiter: { take: () => Promise.reject(new Error(`limiter exploded near ${BASIC_KEY}`)) },
      logSink: (line) => lines.push(line),
    });
    const response = await app.request('/phone-numbers', { method: 'POST', headers: alpha, body: '{}' });
    expect(response.status).toBe(500);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'urn:cloudagent-phone:problem:internal', status: 500 });
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
    const text = JSON.stringify(body);
    expect(text).not.toContain('exploded');
    expect(text).not.toMatch(/at .*\.ts/);
    expect(lines.some((l) => l.includes('limiter exploded'))).toBe(true);
    for (const line of lines) for (const canary of CANARIES) expect(line).not.toContain(canary);
  });

  it('502 when CloudAgent refuses to generate a token for a token-auth account', async () => {
    // This simulator knows another key, so generateToken answers "Invalid userName or apiKey".
    const simulator = createSimulator({ userName: 'tokenco', apiKey: 'some-other-key', auth: 'token' });
    const lines: string[] = [];
    const app = createEdgeApp({ ...memoryStores(), config: config(), transport: createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) }), logSink: (line) => lines.push(line) });
    const response = await app.request('/phone-numbers', {
      method: 'POST',
      headers: alpha,
      body: JSON.stringify({ userName: 'tokenco', phoneNumber: '7001112223', phoneName: 'No-token' }),
    });
    const text = await response.text();
    expect(response.status).toBe(502);
    expect(JSON.parse(text).outcome).toBe('auth_error');
    expect(simulator.control.calls().filter((c) => c.version === 'v2')).toHaveLength(0);
    for (const out of [text, ...lines]) expect(out).not.toContain(TOKEN_KEY);
  });

  it('names the team, account and outcome in the request line once known, and leaves them out before', async () => {
    const simulator = createSimulator({ userName: 'demo', apiKey: BASIC_KEY });
    const lines: string[] = [];
    const app = createEdgeApp({ ...memoryStores(), config: config(), transport: createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) }), logSink: (line) => lines.push(line) });
    await app.request('/healthz');
    await app.request('/phone-numbers', { method: 'POST', headers: alpha, body: JSON.stringify({ userName: 'demo', phoneNumber: '7001112224', phoneName: 'Logged' }) });
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(Object.keys(requests[0]!)).toEqual(['level', 'msg', 'time', 'requestId', 'method', 'path', 'status', 'durationMs']);
    expect(requests[1]).toMatchObject({ level: 'info', method: 'POST', path: '/phone-numbers', status: 200, team: 'alpha', userName: 'demo', outcome: 'success' });
    expect(Object.keys(requests[1]!).slice(-3)).toEqual(['team', 'userName', 'outcome']);
  });

  it('sends CORS headers only for configured origins', async () => {
    const closed = createEdgeApp({ ...memoryStores(), config: config(), transport: unreachable(), logSink: () => {} });
    const open = createEdgeApp({ ...memoryStores(), config: config({ CORS_ORIGINS: 'https://ops.example' }), transport: unreachable(), logSink: () => {} });
    const preflight = { method: 'OPTIONS', headers: { origin: 'https://ops.example', 'access-control-request-method': 'POST' } };
    expect((await closed.request('/phone-numbers', preflight)).headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await open.request('/phone-numbers', preflight);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example');
    // A browser client may send an Idempotency-Key and read whether its answer was a replay.
    expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const simple = await open.request('/healthz', { headers: { origin: 'https://ops.example' } });
    expect(simple.headers.get('access-control-expose-headers')).toContain('idempotent-replayed');
    const other = await open.request('/phone-numbers', { ...preflight, headers: { ...preflight.headers, origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
