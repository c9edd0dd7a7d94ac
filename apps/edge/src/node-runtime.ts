import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { memoryAccountTokens, type LogSink } from '@cloudagent-phone/server';
import { serveOnNode, type NodeServer } from '@cloudagent-phone/server/node';
import { createKeepAliveTransport, type KeepAliveTransport } from '@cloudagent-phone/transport/node';
import { createEdgeApp, type EdgeHono } from './app.js';
import type { BulkJobs } from './bulk-jobs/jobs.js';
import { nodeBulkJobs, type BulkJobsEnv } from './bulk-jobs/node-setup.js';
import { parseConfig, type EdgeEnv } from './config.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { parseNodeConfig, type NodeEdgeEnv } from './node-config.js';
import { createMemoryAuditStore } from './audit/memory-store.js';
import { createMemoryIdempotencyStore } from './idempotency/memory-store.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';
import { contentTypeFor, type StaticFiles } from './static-files.js';

/**
 * Everything Node-specific: the keep-alive transport to CloudAgent (HTTP/1.1 over node:net and
 * node:tls, UPSTREAM_CONNECTIONS connections; it can send v2's GET-with-body, so lookups and
 * read-backs work), counts, idempotency keys, the audit trail and token-account tokens in
 * memory (exact for one process, gone on restart; the tokens through @cloudagent-phone/server's
 * holder, the one the Workers build keeps in a Durable Object; one process shares one), and bulk
 * jobs in process with their files in EDGE_DATA_DIR (bulk-jobs/node-setup.ts).
 * (The Workers counterpart is workers-runtime.ts.)
 */
export function createNodeEdgeApp(
  env: EdgeEnv & BulkJobsEnv & NodeEdgeEnv,
  options: { logSink?: LogSink; now?: () => number } = {},
): EdgeHono & { bulkJobs?: BulkJobs; upstream?: KeepAliveTransport } {
  const config = parseConfig(env);
  const nodeConfig = parseNodeConfig(env);
  const staticFiles = publicFiles();
  // Every issue at once, the shared variables' first: the same 503 on Node as on Workers.
  if (!config.ok || !nodeConfig.ok) {
    const issues = [...(config.ok ? [] : config.issues), ...(nodeConfig.ok ? [] : nodeConfig.issues)];
    return createMisconfiguredApp(issues, { staticFiles, ...(options.logSink ? { logSink: options.logSink } : {}) });
  }
  const transport = createKeepAliveTransport({ maxSockets: nodeConfig.config.upstreamConnections });
  const tokens = memoryAccountTokens({ baseUrl: config.config.baseUrl, timeoutMs: config.config.timeoutMs }, { transport });
  // One limiter for the team's interactive calls and its bulk jobs' requests.
  const rateLimiter = createMemoryRateLimiter();
  const bulk = nodeBulkJobs(env, config.config, nodeConfig.config, transport, tokens, rateLimiter);
  const app = createEdgeApp({
    staticFiles,
    config: config.config,
    transport,
    tokenProvider: (account) => tokens(account.userName, account.apiKey),
    rateLimiter,
    idempotencyStore: createMemoryIdempotencyStore(),
    auditStore: createMemoryAuditStore(),
    ...(options.now ? { now: options.now } : {}),
    // Synchronous node:crypto: Web Crypto's digest in Node costs a thread-pool round trip.
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
    ...(options.logSink ? { logSink: options.logSink } : {}),
    ...bulk?.option,
  });
  return Object.assign(app, { upstream: transport }, bulk ? { bulkJobs: bulk.jobs } : {});
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

/**
 * Serves the edge on Node (@cloudagent-phone/server's serveOnNode). Port 0 picks a free port
 * (tests); the answer says which. Closing stops bulk jobs first: rows in flight finish and are
 * journalled; the rest resume on the next start. Then the server, then the connections to CloudAgent.
 */
export async function startNodeEdge(env: EdgeEnv & BulkJobsEnv & NodeEdgeEnv, options: { host?: string; port?: number; logSink?: LogSink; now?: () => number } = {}): Promise<StartedEdge> {
  const app = createNodeEdgeApp(env, { ...(options.logSink ? { logSink: options.logSink } : {}), ...(options.now ? { now: options.now } : {}) });
  const server = await serveOnNode(app, { host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
  return {
    ...server,
    close: async (closeOptions) => {
      await app.bulkJobs?.close();
      await server.close(closeOptions);
      await app.upstream?.close();
    },
  };
}
