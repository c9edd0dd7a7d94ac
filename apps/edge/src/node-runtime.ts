import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { memoryAccountTokens } from '@cloudagent-phone/server';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { createEdgeApp, type EdgeHono } from './app.js';
import { parseConfig, type EdgeEnv } from './config.js';
import type { LogSink } from './log.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';

/**
 * Everything Node-specific: node:http to CloudAgent (it can send v2's GET-with-body, so lookups
 * work), counts and token-account tokens in memory (@cloudagent-phone/server's holder, the one the
 * Workers build keeps in a Durable Object; one process shares one).
 * (The Workers counterpart is workers-runtime.ts.)
 */
export function createNodeEdgeApp(env: EdgeEnv, options: { logSink?: LogSink } = {}): EdgeHono {
  const config = parseConfig(env);
  if (!config.ok) return createMisconfiguredApp(config.issues, options.logSink);
  const transport = createNodeHttpTransport();
  const tokens = memoryAccountTokens({ baseUrl: config.config.baseUrl, timeoutMs: config.config.timeoutMs }, { transport });
  return createEdgeApp({
    config: config.config,
    transport,
    tokenProvider: (account) => tokens(account.userName, account.apiKey),
    rateLimiter: createMemoryRateLimiter(),
    // Synchronous node:crypto: Web Crypto's digest in Node costs a thread-pool round trip.
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
    ...(options.logSink ? { logSink: options.logSink } : {}),
  });
}

/**
 * Where `pnpm start` listens: HOST and PORT, default 127.0.0.1:8787. An empty variable counts as
 * unset (a blank PORT must not become port 0, a random one); a PORT that is no port is an error.
 */
export function listenAddress(env: { HOST?: string | undefined; PORT?: string | undefined }): { host: string; port: number } {
  const host = env.HOST?.trim() || '127.0.0.1';
  const text = env.PORT?.trim();
  if (!text) return { host, port: 8787 };
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new Error(`PORT must be a port number from 0 to 65535 (got "${text}")`);
  return { host, port };
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
