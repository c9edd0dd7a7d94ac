import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { createShim, type Shim, type ShimOptions } from './app.js';
import { configFromEnv, type ShimConfig } from './config.js';
import { FileUsageStore } from './usage/file-usage-store.js';

export interface StartShimOptions extends Partial<Omit<ShimOptions, 'config'>> {
  /** Default: read from process.env (see README "Configuration"). */
  config?: ShimConfig;
  /** Default 127.0.0.1; 0.0.0.0 to listen on every interface. */
  host?: string;
  /** Default 0: any free port (read `port` or `url` from the result). */
  port?: number;
  /**
   * Keep the durable counts in this directory (a FileUsageStore; several processes may share it).
   * `pnpm start` passes `dataDirFromEnv()`. Without it (and without `usageStore`), counts stay in memory.
   */
  dataDir?: string;
}

/**
 * The Node server's data directory: `SHIM_DATA_DIR`, else `$XDG_STATE_HOME/cloudagent-phone-shim`,
 * else `~/.local/state/cloudagent-phone-shim` (state that should survive restarts, per the XDG spec).
 */
export function dataDirFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env.SHIM_DATA_DIR?.trim();
  if (explicit) return explicit;
  const state = env.XDG_STATE_HOME?.trim() || join(homedir(), '.local', 'state');
  return join(state, 'cloudagent-phone-shim');
}

export interface RunningShim extends Shim {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Runs the shim on Node. v2 calls go over node:http, which can send v2's GET-with-body `get`, so
 * an ambiguous mutation is settled by reading back (fetch cannot do that).
 */
export async function startShim(options: StartShimOptions = {}): Promise<RunningShim> {
  const { host = '127.0.0.1', port = 0, config = configFromEnv(process.env), dataDir, ...rest } = options;
  // A file in the data directory that cannot be read is skipped (the rest still counts) and said on stderr.
  const usageStore = rest.usageStore ?? (dataDir ? new FileUsageStore({ dir: dataDir, onWarning: (w) => console.error(`[shim] usage counts: ${w}`) }) : undefined);
  const shim = createShim({ ...rest, config, v2Transport: rest.v2Transport ?? createNodeHttpTransport(), ...(usageStore ? { usageStore } : {}) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: shim.app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  // Node's own backstops, above the shim's body deadline (which answers 408 itself): headers that
  // trickle in, or a request that never ends, cannot hold a connection for Node's default 300 s.
  const nodeServer = server as { headersTimeout?: number; requestTimeout?: number };
  nodeServer.headersTimeout = 10_000;
  nodeServer.requestTimeout = config.bodyTimeoutMs + 10_000;
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...shim,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: async () => {
      await shim.idle();
      await new Promise<void>((resolve, reject) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

export { FileUsageStore, type FileUsageStoreOptions } from './usage/file-usage-store.js';
export * from './index.js';
