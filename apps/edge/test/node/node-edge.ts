import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startNodeEdge, type StartedEdge } from '../../src/node-runtime.js';
import { edgeEnv } from '../suite/fixtures.js';
import { createUpstream, type Upstream } from '../suite/upstream.js';

export interface NodeEdge {
  upstream: Upstream;
  /** Every log line the edge wrote, in order. */
  logs: string[];
  /** The running edge (set once beforeAll has run). */
  edge: () => StartedEdge;
}

/**
 * The Node entry's server on a real socket (port 0), talking to CloudAgent over node:http: here the
 * simulators behind a local server (port 0) that passes the raw Node request on, so a GET's body
 * reaches them. Registers its own beforeAll/afterAll.
 */
export function useNodeEdge(options: { now?: () => number } = {}): NodeEdge {
  const upstream = createUpstream();
  const logs: string[] = [];
  let upstreamServer: ReturnType<typeof serve>;
  let edge: StartedEdge | undefined;

  beforeAll(async () => {
    upstreamServer = await new Promise((resolve) => {
      const s = serve({ fetch: (request, env) => upstream.handle(request, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = upstreamServer.address() as AddressInfo;
    edge = await startNodeEdge(edgeEnv(`http://127.0.0.1:${port}`), { port: 0, logSink: (line) => logs.push(line), ...options });
  });

  afterAll(async () => {
    await edge?.close();
    (upstreamServer as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => upstreamServer.close(resolve));
  });

  return {
    upstream,
    logs,
    edge: () => {
      if (!edge) throw new Error('the edge is not started yet (use it inside a test or hook)');
      return edge;
    },
  };
}
