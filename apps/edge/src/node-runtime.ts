import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { createEdgeApp, type EdgeHono } from './app.js';
import { parseConfig, type EdgeEnv } from './config.js';
import type { LogSink } from './log.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';

/**
 * Everything Node-specific: node:http to CloudAgent (it can send v2's GET-with-body, so lookups
 * work), counts in memory, and tokens in the client's own token manager (one process shares one).
 * (The Workers counterpart is workers-runtime.ts.)
 */
export function createNodeEdgeApp(env: EdgeEnv, options: { logSink?: LogSink } = {}): EdgeHono {
  const config = parseConfig(env);
  if (!config.ok) return createMisconfiguredApp(config.issues, options.logSink);
  return createEdgeApp({
    config: config.config,
    transport: createNodeHttpTransport(),
    rateLimiter: createMemoryRateLimiter(),
    // Synchronous node:crypto: Web Crypto's digest in Node costs a thread-pool round trip.
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
    ...(options.logSink ? { logSink: options.logSink } : {}),
  });
}

export interface StartedEdge {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the edge on Node. Port 0 picks a free port (tests); the answer says which. */
export function startNodeEdge(env: EdgeEnv, options: { host?: string; port?: number; logSink?: LogSink } = {}): Promise<StartedEdge> {
  const app = createNodeEdgeApp(env, options.logSink ? { logSink: options.logSink } : {});
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8787 }, (info) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
