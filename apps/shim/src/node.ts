import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { createShim, type Shim, type ShimOptions } from './app.js';
import { configFromEnv, type ShimConfig } from './config.js';

export interface StartShimOptions extends Partial<Omit<ShimOptions, 'config'>> {
  /** Default: read from process.env (see README "Configuration"). */
  config?: ShimConfig;
  /** Default 127.0.0.1; 0.0.0.0 to listen on every interface. */
  host?: string;
  /** Default 0: any free port (read `port` or `url` from the result). */
  port?: number;
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
  const { host = '127.0.0.1', port = 0, config = configFromEnv(process.env), ...rest } = options;
  const shim = createShim({ ...rest, config, v2Transport: rest.v2Transport ?? createNodeHttpTransport() });
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

export * from './index.js';
