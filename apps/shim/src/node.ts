import { homedir } from 'node:os';
import { join } from 'node:path';
import { serveOnNode, type CloseOptions } from '@cloudagent-phone/server/node';
import { createKeepAliveTransport } from '@cloudagent-phone/transport/node';
import { createShim, type Shim, type ShimOptions } from './app.js';
import type { ShimConfig } from './config.js';
import { fileDashboardAssets, serveDashboardStatic } from './dashboard/file-assets.js';
import { DEFAULT_UPSTREAM_CONNECTIONS, nodeConfigFromEnv, type NodeShimConfig } from './node-config.js';
import { FileUsageStore } from './usage/file-usage-store.js';

export interface StartShimOptions extends Partial<Omit<ShimOptions, 'config'>> {
  /**
   * Default: read from process.env (nodeConfigFromEnv; see README "Configuration"). A plain
   * ShimConfig (configFromEnv) keeps DEFAULT_UPSTREAM_CONNECTIONS connections to each upstream host.
   */
  config?: ShimConfig & Partial<Pick<NodeShimConfig, 'upstreamConnections'>>;
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
  /**
   * Stops taking calls, lets those in flight finish within `graceMs` (default 0: cut at once), then
   * waits for the usage counts they made to be written.
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Runs the shim on Node. Without a `v2Transport`, v2 and pass-through calls go over the keep-alive
 * transport (HTTP/1.1 over node:net/node:tls, `upstreamConnections` kept to each host), which can
 * send v2's GET-with-body `get`, so an ambiguous mutation is settled by reading back (fetch cannot
 * do that); `close()` closes its connections last.
 */
export async function startShim(options: StartShimOptions = {}): Promise<RunningShim> {
  const { host = '127.0.0.1', port = 0, config = nodeConfigFromEnv(process.env), dataDir, ...rest } = options;
  // A file in the data directory that cannot be read is skipped (the rest still counts) and said on stderr.
  const usageStore = rest.usageStore ?? (dataDir ? new FileUsageStore({ dir: dataDir, onWarning: (w) => console.error(`[shim] usage counts: ${w}`) }) : undefined);
  const dashboardAssets = rest.dashboardAssets ?? fileDashboardAssets();
  // Only a transport made here is closed here: one the caller gave is the caller's.
  const upstream = rest.v2Transport ? undefined : createKeepAliveTransport({ maxSockets: config.upstreamConnections ?? DEFAULT_UPSTREAM_CONNECTIONS });
  const shim = createShim({ ...rest, config, v2Transport: rest.v2Transport ?? upstream!, dashboardAssets, ...(usageStore ? { usageStore } : {}) });
  // The dashboard's styles and script first, as Workers static assets are served before the Worker.
  const fetchWithStatic = { fetch: async (request: Request) => (await serveDashboardStatic(request, dashboardAssets)) ?? shim.fetch(request) };
  // Node's own backstops, above the shim's body deadline (which answers 408 itself): headers that
  // trickle in, or a request that never ends, cannot hold a connection for Node's default 300 s.
  const server = await serveOnNode(fetchWithStatic, { host, port, headersTimeoutMs: 10_000, requestTimeoutMs: config.bodyTimeoutMs + 10_000 });
  return {
    ...shim,
    url: server.url,
    port: server.port,
    close: async (closeOptions) => {
      await server.close(closeOptions);
      await shim.idle();
      await upstream?.close();
    },
  };
}

export { fileDashboardAssets } from './dashboard/file-assets.js';
export { DEFAULT_UPSTREAM_CONNECTIONS, nodeConfigFromEnv, type NodeShimConfig } from './node-config.js';
export { FileUsageStore, type FileUsageStoreOptions } from './usage/file-usage-store.js';
export * from './index.js';
