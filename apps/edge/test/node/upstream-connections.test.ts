// UPSTREAM_CONNECTIONS, the Node edge's connections to CloudAgent: a variable checked like every
// other (a bad one is a 503 naming it and its rule), and the pool's real size (a relay in front of
// the simulators counts the connections).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startNodeEdge } from '../../src/node-runtime.js';
import { edgeEnv, TEAM_TOKENS } from '../suite/fixtures.js';
import { createUpstream } from '../suite/upstream.js';
import { startCountingRelay, startUpstreamServer } from './upstream-server.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const closing = open.reverse();
  open = [];
  for (const server of closing) await server.close();
});

const headers = { authorization: `Bearer ${TEAM_TOKENS.alpha}`, 'content-type': 'application/json' };

describe('UPSTREAM_CONNECTIONS on the Node edge', () => {
  it('keeps at most that many connections to CloudAgent, reuses them, and closes them with the edge', async () => {
    const upstream = createUpstream();
    const server = await startUpstreamServer(upstream);
    const relay = await startCountingRelay(server.url);
    open.push(server, relay);
    const edge = await startNodeEdge({ ...edgeEnv(relay.url), UPSTREAM_CONNECTIONS: '2' }, { port: 0, logSink: () => {} });
    open.push(edge);
    // Five slow creates at once: each holds its connection for 300 ms.
    upstream.basic.control.setFaults({ queue: Array.from({ length: 5 }, () => ({ kind: 'latency' as const, ms: 300 })), actions: ['create'] });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        fetch(`${edge.url}/phone-numbers`, { method: 'POST', headers, body: JSON.stringify({ userName: 'demo', phoneNumber: `700111230${i}`, phoneName: `Pool-${i}` }) }),
      ),
    );
    // The basic account holds one more number than its seed: one create succeeds, CloudAgent refuses the rest (its limit).
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422, 422, 422, 422]);
    expect(upstream.basic.control.calls().filter((c) => c.action === 'create')).toHaveLength(5);
    expect(relay.opened(), 'two connections, each reused').toBe(2);
    expect(relay.mostAtOnce()).toBe(2);
    await edge.close();
    open = open.filter((s) => s !== edge);
    // Well inside the transport's 4 s idle timeout: closed with the edge, not left to expire.
    await vi.waitFor(() => expect(relay.openNow()).toBe(0), { timeout: 1500, interval: 10 });
  });

  it.each(['0', '1025', 'lots', '1.5'])('UPSTREAM_CONNECTIONS=%s: 503 everywhere, naming the variable and its rule, never the value, with the other bad variables', async (value) => {
    const edge = await startNodeEdge({ ...edgeEnv('https://in1-ccaas-api.ozonetel.com'), RATE_LIMIT_PER_MINUTE: 'often', UPSTREAM_CONNECTIONS: value }, { port: 0, logSink: () => {} });
    open.push(edge);
    const answer = await fetch(`${edge.url}/healthz`);
    expect(answer.status).toBe(503);
    const body = (await answer.json()) as { errors: { field: string; rule: string; message: string }[] };
    expect(body.errors).toEqual([
      { field: 'RATE_LIMIT_PER_MINUTE', rule: 'whole-number', message: 'RATE_LIMIT_PER_MINUTE must be a whole number, 1 or more' },
      { field: 'UPSTREAM_CONNECTIONS', rule: 'whole-number', message: 'UPSTREAM_CONNECTIONS must be a whole number from 1 to 1024' },
    ]);
  });

  it('BULK_JOB_RATE_PER_MINUTE is checked the same way (it was a start-up exception quoting the value)', async () => {
    const edge = await startNodeEdge({ ...edgeEnv('https://in1-ccaas-api.ozonetel.com'), BULK_JOB_RATE_PER_MINUTE: 'fast' }, { port: 0, logSink: () => {} });
    open.push(edge);
    const answer = await fetch(`${edge.url}/healthz`);
    expect(answer.status).toBe(503);
    const text = await answer.text();
    expect(JSON.parse(text).errors).toEqual([{ field: 'BULK_JOB_RATE_PER_MINUTE', rule: 'whole-number', message: 'BULK_JOB_RATE_PER_MINUTE must be a whole number, 1 or more' }]);
    expect(text).not.toContain('fast');
  });
});
