import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { memoryAccountTokens } from '@cloudagent-phone/server';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { createEdgeApp, type EdgeHono } from './app.js';
import { parseConfig, type EdgeEnv } from './config.js';
import type { LogSink } from './log.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { createMemoryAuditStore } from './audit/memory-store.js';
import { createMemoryIdempotencyStore } from './idempotency/memory-store.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';
import { contentTypeFor, type StaticFiles } from './static-files.js';

/**
 * Everything Node-specific: node:http to CloudAgent (it can send v2's GET-with-body, so lookups
 * and read-backs work), counts, idempotency keys, the audit trail and token-account tokens in
 * memory (exact for one process, gone on restart; the tokens through @cloudagent-phone/server's
 * holder, the one the Workers build keeps in a Durable Object; one process shares one).
 * (The Workers counterpart is workers-runtime.ts.)
 */
export function createNodeEdgeApp(env: EdgeEnv, options: { logSink?: LogSink; now?: () => number } = {}): EdgeHono {
  const config = parseConfig(env);
  const staticFiles = publicFiles();
  if (!config.ok) return createMisconfiguredApp(config.issues, { staticFiles, ...(options.logSink ? { logSink: options.logSink } : {}) });
  const transport = createNodeHttpTransport();
  const tokens = memoryAccountTokens({ baseUrl: config.config.baseUrl, timeoutMs: config.config.timeoutMs }, { transport });
  return createEdgeApp({
    staticFiles,
    config: config.config,
    transport,
    tokenProvider: (account) => tokens(account.userName, account.apiKey),
    rateLimiter: createMemoryRateLimiter(),
    idempotencyStore: createMemoryIdempotencyStore(),
    auditStore: createMemoryAuditStore(),
    ...(options.now ? { now: options.now } : {}),
    // Synchronous node:crypto: Web Crypto's digest in Node costs a thread-pool round trip.
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
    ...(options.logSink ? { logSink: options.logSink } : {}),
  });
}

/**
 * The same public/ files the Worker serves as static assets, read from disk (this file is
 * src/node-runtime.ts or dist/node-runtime.js, both one level below the app). The app only asks
 * for names it has checked (static-files.ts), so a path never leaves public/.
 */
export function publicFiles(root: URL = new URL('../public/', import.meta.url)): StaticFiles {
  return async (path) => {
    try {
      const body = await readFile(fileURLToPath(new URL(`.${path}`, root)));
      return { body: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer, contentType: contentTypeFor(path) };
    } catch {
      return undefined;
    }
  };
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
export function startNodeEdge(env: EdgeEnv, options: { host?: string; port?: number; logSink?: LogSink; now?: () => number } = {}): Promise<StartedEdge> {
  const app = createNodeEdgeApp(env, { ...(options.logSink ? { logSink: options.logSink } : {}), ...(options.now ? { now: options.now } : {}) });
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
