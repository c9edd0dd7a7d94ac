import { afterAll, beforeAll } from 'vitest';
import { startNodeEdge, type StartedEdge } from '../../src/node-runtime.js';
import { edgeEnv } from '../suite/fixtures.js';
import { createUpstream, type Upstream } from '../suite/upstream.js';
import { startUpstreamServer, type Listening } from './upstream-server.js';

export interface NodeEdge {
  upstream: Upstream;
  /** Every log line the edge wrote, in order. */
  logs: string[];
  /** The running edge (set once beforeAll has run). */
  edge: () => StartedEdge;
  /** Where the simulators listen (set once beforeAll has run). */
  upstreamUrl: () => string;
}

/**
 * The Node entry's server on a real socket (port 0), talking to CloudAgent over its keep-alive transport: here the
 * simulators behind a local server (port 0, see upstream-server.ts). Registers its own beforeAll/afterAll.
 */
export function useNodeEdge(options: { now?: () => number } = {}): NodeEdge {
  const upstream = createUpstream();
  const logs: string[] = [];
  let upstreamServer: Listening | undefined;
  let edge: StartedEdge | undefined;

  beforeAll(async () => {
    upstreamServer = await startUpstreamServer(upstream);
    edge = await startNodeEdge(edgeEnv(upstreamServer.url), { port: 0, logSink: (line) => logs.push(line), ...options });
  });

  afterAll(async () => {
    await edge?.close();
    await upstreamServer?.close();
  });

  return {
    upstream,
    logs,
    upstreamUrl: () => {
      if (!upstreamServer) throw new Error('the upstream is not started yet (use it inside a test or hook)');
      return upstreamServer.url;
    },
    edge: () => {
      if (!edge) throw new Error('the edge is not started yet (use it inside a test or hook)');
      return edge;
    },
  };
}
