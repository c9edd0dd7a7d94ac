import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { memoryAccountTokens } from '@cloudagent-phone/server';
import { createClient } from '@cloudagent-phone/transport';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { parse as parseCsv } from 'csv-parse/sync';
import { createEdgeApp, type EdgeHono } from './app.js';
import type { BulkJobs } from './bulk-jobs/jobs.js';
import { createNodeBulkJobs } from './bulk-jobs/node-jobs.js';
import { bulkJobRoutes } from './bulk-jobs/routes.js';
import { parseConfig, type EdgeConfig, type EdgeEnv } from './config.js';
import type { LogSink } from './log.js';
import { createMisconfiguredApp } from './misconfigured.js';
import { createMemoryRateLimiter } from './rate-limit/memory.js';

/**
 * Everything Node-specific: node:http to CloudAgent (it can send v2's GET-with-body, so lookups
 * work), counts and token-account tokens in memory (@cloudagent-phone/server's holder, the one the
 * Workers build keeps in a Durable Object; one process shares one).
 * (The Workers counterpart is workers-runtime.ts.)
 */
/** The Node-only variables: where bulk jobs are kept, and their rate. */
export interface NodeEdgeEnv extends EdgeEnv {
  /** Bulk jobs (POST /bulk-jobs) are served only when set: their rows, journals and reports live here. */
  EDGE_DATA_DIR?: string | undefined;
  /** Rows a minute per bulk job (default 30), capped at half the team's rate. */
  BULK_JOB_RATE_PER_MINUTE?: string | undefined;
}

function bulkRate(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const rate = Number(text);
  if (!Number.isInteger(rate) || rate < 1) throw new Error(`BULK_JOB_RATE_PER_MINUTE must be a whole number of rows a minute, 1 or more (got "${text}")`);
  return rate;
}

/** CSV with a header row, cells trimmed, blank lines skipped: a job's rows as records by column. */
function csvRecords(text: string): Record<string, string>[] {
  return parseCsv(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim()), trim: true, skip_empty_lines: true }) as Record<string, string>[];
}

/**
 * Everything Node-specific: node:http to CloudAgent (it can send v2's GET-with-body, so lookups
 * work), counts and token-account tokens in memory (@cloudagent-phone/server's holder, the one the
 * Workers build keeps in a Durable Object; one process shares one), and bulk jobs in process with
 * their files in EDGE_DATA_DIR.
 * (The Workers counterpart is workers-runtime.ts.)
 */
export function createNodeEdgeApp(env: NodeEdgeEnv, options: { logSink?: LogSink } = {}): EdgeHono & { bulkJobs?: BulkJobs } {
  const config = parseConfig(env);
  if (!config.ok) return createMisconfiguredApp(config.issues, options.logSink);
  const transport = createNodeHttpTransport();
  const tokens = memoryAccountTokens({ baseUrl: config.config.baseUrl, timeoutMs: config.config.timeoutMs }, { transport });
  const jobs = env.EDGE_DATA_DIR ? nodeBulkJobs(config.config, env.EDGE_DATA_DIR, transport, tokens) : undefined;
  const rate = bulkRate(env.BULK_JOB_RATE_PER_MINUTE);
  const app = createEdgeApp({
    config: config.config,
    transport,
    tokenProvider: (account) => tokens(account.userName, account.apiKey),
    rateLimiter: createMemoryRateLimiter(),
    // Synchronous node:crypto: Web Crypto's digest in Node costs a thread-pool round trip.
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
    ...(options.logSink ? { logSink: options.logSink } : {}),
    ...(jobs ? { bulkJobs: (teamAuth) => bulkJobRoutes({ config: config.config, jobs, teamAuth, parseCsv: csvRecords, ...(rate ? { ratePerMinute: rate } : {}) }) as unknown as EdgeHono } : {}),
  });
  return Object.assign(app, jobs ? { bulkJobs: jobs } : {});
}

function nodeBulkJobs(config: EdgeConfig, dataDir: string, transport: ReturnType<typeof createNodeHttpTransport>, tokens: ReturnType<typeof memoryAccountTokens>): BulkJobs {
  return createNodeBulkJobs({
    dataDir,
    transport,
    clientFor: (userName, jobTransport) => {
      const account = config.accounts.get(userName);
      if (!account) throw new Error(`bulk job row for an account not in CLOUDAGENT_ACCOUNTS: ${userName}`);
      const tokenProvider = account.auth === 'token' ? tokens(account.userName, account.apiKey) : undefined;
      return createClient({
        userName: account.userName,
        apiKey: account.apiKey,
        auth: account.auth,
        ...(tokenProvider ? { tokenProvider } : {}),
        baseUrl: config.baseUrl,
        transport: jobTransport,
        timeoutMs: config.timeoutMs,
      });
    },
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
export function startNodeEdge(env: NodeEdgeEnv, options: { host?: string; port?: number; logSink?: LogSink } = {}): Promise<StartedEdge> {
  const app = createNodeEdgeApp(env, options.logSink ? { logSink: options.logSink } : {});
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8787 }, (info) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        port: info.port,
        // Bulk jobs first: rows in flight finish and are journalled; the rest resume on the next start.
        close: async () => {
          await app.bulkJobs?.close();
          await new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}
