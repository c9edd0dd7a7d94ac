import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { memoryAccountTokens, type LogSink } from '@cloudagent-phone/server';
import { serveOnNode, type NodeServer } from '@cloudagent-phone/server/node';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { createEdgeApp, type EdgeHono } from './app.js';
import { parseConfig, type EdgeEnv } from './config.js';
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

export type StartedEdge = NodeServer;

/** Serves the edge on Node (@cloudagent-phone/server's serveOnNode). Port 0 picks a free port (tests); the answer says which. */
export function startNodeEdge(env: EdgeEnv, options: { host?: string; port?: number; logSink?: LogSink; now?: () => number } = {}): Promise<StartedEdge> {
  const app = createNodeEdgeApp(env, { ...(options.logSink ? { logSink: options.logSink } : {}), ...(options.now ? { now: options.now } : {}) });
  return serveOnNode(app, { host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
}
