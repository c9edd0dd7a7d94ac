import { createSimulator } from '@cloudagent-phone/simulator';
import { describe, expect, it } from 'vitest';
import { BASIC_KEY, CANARIES, OTHER_KEY, TEAM_TOKEN_HASHES, TEAM_TOKENS } from '../test/suite/fixtures.js';
import { createEdgeApp } from './app.js';
import { parseConfig } from './config.js';
import { createMemoryAuditStore } from './audit/memory-store.js';
import { createMemoryIdempotencyStore } from './idempotency/memory-store.js';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createMemoryRateLimiter } from './rate-limit/memory.js';

// Each bad entry affects only what it names: the rest of the edge answers as if it were not there.
const simulator = createSimulator({ userName: 'demo', apiKey: BASIC_KEY });

function edgeWith(accounts: string, teams: unknown[]) {
  const result = parseConfig({ CLOUDAGENT_BASE_URL: 'https://cloudagent.test', CLOUDAGENT_ACCOUNTS: accounts, TEAMS: JSON.stringify(teams) });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const lines: string[] = [];
  const app = createEdgeApp({ idempotencyStore: createMemoryIdempotencyStore(), auditStore: createMemoryAuditStore(), config: result.config, transport: createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) }), rateLimiter: createMemoryRateLimiter(), logSink: (l) => lines.push(l) });
  return { app, lines, config: result.config };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const create = (userName: string, n: string) => JSON.stringify({ userName, phoneNumber: `70011${n}`, phoneName: `Desk${n}` });

describe('configuration faults have a small blast radius', () => {
  const accounts = `{"demo":{"apiKey":"${BASIC_KEY}"},"broken":{"apiKey":"${OTHER_KEY} spaced"},"twice":{"apiKey":"${OTHER_KEY}"},"twice":{"apiKey":"${OTHER_KEY}"}}`;
  const teams = [
    { name: 'alpha', tokenSha256: TEAM_TOKEN_HASHES.alpha, userNames: ['demo', 'broken', 'twice', 'ghost'] },
    { name: 'beta', tokenSha256: TEAM_TOKEN_HASHES.beta, userNames: ['demo'], rateLimitPerMinute: -1 },
    { name: 'gamma', tokenSha256: 'not-a-hash', userNames: ['demo'] },
  ];

  it('a good team keeps working for its good account', async () => {
    const { app } = edgeWith(accounts, teams);
    const response = await app.request('/phone-numbers', { method: 'POST', headers: bearer(TEAM_TOKENS.alpha), body: create('demo', '00001') });
    expect(response.status).toBe(200);
  });

  it.each([
    ['broken', /invalid/],
    ['twice', /invalid/],
    ['ghost', /missing from CLOUDAGENT_ACCOUNTS/],
  ])('a team granted the bad account %s gets a clear 503 for it, and nothing is sent', async (userName, why) => {
    const { app } = edgeWith(accounts, teams);
    const before = simulator.control.calls().length;
    const response = await app.request('/phone-numbers', { method: 'POST', headers: bearer(TEAM_TOKENS.alpha), body: create(userName, '00002') });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { type: string; detail: string };
    expect(body.type).toBe('urn:cloudagent-phone:problem:misconfigured');
    expect(body.detail).toMatch(why);
    expect(simulator.control.calls().length).toBe(before);
  });

  it('a team with a bad entry gets a 503 naming its own fault; a team whose hash is unreadable is unknown (401)', async () => {
    const { app } = edgeWith(accounts, teams);
    const beta = await app.request('/phone-numbers', { method: 'POST', headers: bearer(TEAM_TOKENS.beta), body: create('demo', '00003') });
    expect(beta.status).toBe(503);
    expect(((await beta.json()) as { detail: string }).detail).toMatch(/rateLimitPerMinute/);
    const gamma = await app.request('/phone-numbers', { method: 'POST', headers: bearer(TEAM_TOKENS.gamma), body: create('demo', '00004') });
    expect(gamma.status).toBe(401);
  });

  it('duplicate team names disable those teams only', async () => {
    const { app } = edgeWith(`{"demo":{"apiKey":"${BASIC_KEY}"}}`, [
      { name: 'same', tokenSha256: TEAM_TOKEN_HASHES.alpha, userNames: ['demo'] },
      { name: 'same', tokenSha256: TEAM_TOKEN_HASHES.beta, userNames: ['demo'] },
      { name: 'gamma', tokenSha256: TEAM_TOKEN_HASHES.gamma, userNames: ['demo'] },
    ]);
    for (const token of [TEAM_TOKENS.alpha, TEAM_TOKENS.beta]) {
      expect((await app.request('/phone-numbers', { method: 'POST', headers: bearer(token), body: create('demo', '00005') })).status).toBe(503);
    }
    expect((await app.request('/phone-numbers', { method: 'POST', headers: bearer(TEAM_TOKENS.gamma), body: create('demo', '00006') })).status).toBe(200);
  });

  it('/healthz says degraded and counts the problems, naming no account; the log names them for the operator', async () => {
    const { app, lines, config } = edgeWith(accounts, teams);
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded', accounts: 1, teams: 1, problems: config.problems.length });
    for (const name of ['broken', 'twice', 'ghost', 'beta', 'gamma']) expect(text).not.toContain(name);
    const log = lines.join('\n');
    for (const name of ['broken', 'twice', 'ghost']) expect(log).toContain(name);
    for (const canary of CANARIES) expect(log + text).not.toContain(canary);
  });

  it('/healthz says ok when nothing is wrong', async () => {
    const { app } = edgeWith(`{"demo":{"apiKey":"${BASIC_KEY}"}}`, [{ name: 'alpha', tokenSha256: TEAM_TOKEN_HASHES.alpha, userNames: ['demo'] }]);
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok', accounts: 1, teams: 1 });
  });
});
