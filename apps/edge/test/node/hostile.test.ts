// What only Node lets a test read: the process's memory while the edge refuses a 200 MB body on a
// real socket, and the heap across a run of junk user names.
import * as http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { EdgeHarness } from '../suite/edge-suite.js';
import { TEAM_TOKENS, edgeEnv } from '../suite/fixtures.js';
import { defineHostileSuite } from '../suite/hostile.js';
import { localUpstreamView } from '../suite/upstream.js';
import type { EdgeHono } from '../../src/app.js';
import { createNodeEdgeApp } from '../../src/node-runtime.js';
import { useNodeEdge } from './node-edge.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledHeap = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

const { edge, upstream, logs, upstreamUrl } = useNodeEdge();

/** Writes `total` bytes as they are generated (never allocated whole); resolves with the status, however the socket ends. */
function postGenerated(total: number, chunked: boolean): Promise<{ status?: number; error?: string }> {
  const url = new URL(edge().url);
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TEAM_TOKENS.alpha}` };
    if (!chunked) headers['content-length'] = String(total);
    const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/phone-numbers', headers, agent: false });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let done = false;
    const finish = (value: { status?: number; error?: string }) => {
      if (done) return;
      done = true;
      resolve(value);
      req.destroy();
    };
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    req.on('response', (res) => {
      res.resume();
      finish({ status: res.statusCode! });
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
    pump();
  });
}

// The generated requests and junk names against the Node entry on a real socket.
// The junk names go to the same Node entry app in-process (see defineHostileSuite).
let inProcess: EdgeHono | undefined;
const inProcessLogs: string[] = [];
defineHostileSuite(
  (): EdgeHarness => ({ runtime: 'node', request: (path, init) => fetch(`${edge().url}${path}`, init), upstream: localUpstreamView(upstream), logs: () => [...logs] }),
  (): EdgeHarness => {
    inProcess ??= createNodeEdgeApp(edgeEnv(upstreamUrl()), { logSink: (line) => inProcessLogs.push(line) });
    const app = inProcess;
    return { runtime: 'node', request: (path, init) => Promise.resolve(app.request(path, init)), upstream: localUpstreamView(upstream), logs: () => [...inProcessLogs] };
  },
);

describe('hostile input on Node: memory', () => {
  it.each([
    ['declared in Content-Length', false],
    ['streamed (chunked)', true],
  ])('a 200 MB body %s is refused with 413, and resident memory grows by less than 20 MB', async (_how, chunked) => {
    const sent = upstream.requests.length;
    const rss = process.memoryUsage().rss;
    const answer = await postGenerated(200 * 1024 * 1024, chunked);
    expect(answer.status).toBe(413);
    expect((process.memoryUsage().rss - rss) / 1e6).toBeLessThan(20);
    expect(upstream.requests).toHaveLength(sent);
  }, 60_000);

  it('the heap stays flat across 4,000 junk user names on a real socket', async () => {
    const send = async (i: number) => {
      const response = await fetch(`${edge().url}/phone-numbers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEAM_TOKENS.beta}` },
        body: JSON.stringify({ userName: `junk${i.toString(36)}`.padEnd(64, 'z'), phoneNumber: '7009990001', phoneName: 'Hostile-1' }),
      });
      await response.text();
      // 403 (not granted) or, once the team is past its limit, 429: refused locally either way.
      if (response.status !== 403 && response.status !== 429) throw new Error(`junk ${i}: HTTP ${response.status}`);
    };
    const sent = upstream.requests.length;
    for (let i = 0; i < 1_000; i++) await send(i);
    logs.length = 0; // the test keeps the log lines; the edge does not
    const before = settledHeap();
    for (let i = 1_000; i < 4_000; i++) {
      await send(i);
      if (logs.length > 100) logs.length = 0;
    }
    const after = settledHeap();
    expect((after - before) / 1e6).toBeLessThan(5);
    expect(upstream.requests).toHaveLength(sent);
  }, 120_000);
});
