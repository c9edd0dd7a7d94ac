import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startNodeEdge, type StartedEdge } from '../../src/node-runtime.js';
import { defineEdgeSuite, type EdgeHarness } from '../suite/edge-suite.js';
import { edgeEnv } from '../suite/fixtures.js';
import { createUpstream } from '../suite/upstream.js';

// On Node: the Node entry's server on a real socket (port 0), talking to CloudAgent over node:http,
// here the simulators behind a local server (port 0) that passes the raw Node request on, so a
// GET's body reaches them.
const upstream = createUpstream();
const logs: string[] = [];
let upstreamServer: ReturnType<typeof serve>;
let edge: StartedEdge;

beforeAll(async () => {
  upstreamServer = await new Promise((resolve) => {
    const s = serve({ fetch: (request, env) => upstream.handle(request, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = upstreamServer.address() as AddressInfo;
  edge = await startNodeEdge(edgeEnv(`http://127.0.0.1:${port}`), { port: 0, logSink: (line) => logs.push(line) });
});

afterAll(async () => {
  await edge?.close();
  (upstreamServer as { closeAllConnections?: () => void }).closeAllConnections?.();
  await new Promise((resolve) => upstreamServer.close(resolve));
});

const harness: EdgeHarness = {
  runtime: 'node',
  lookupSupported: true,
  request: (path, init) => fetch(`${edge.url}${path}`, init),
  upstream,
  logs: () => [...logs],
};

defineEdgeSuite(() => harness);
