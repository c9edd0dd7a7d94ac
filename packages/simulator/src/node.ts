import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createSimulator, type Simulator, type SimulatorOptions } from './index.js';
import { readStateFile, writeStateFile } from './state-file.js';

export interface StartOptions extends SimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persist records, token state and the applied log here (atomic writes); loaded on start. */
  stateFile?: string;
}

export interface RunningSimulator extends Simulator {
  /** `http://host:port`, no trailing slash: a client's `baseUrl`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the simulator on a real socket (needed for GET-with-body and dropped-connection faults).
 *
 * The edge and the shim serve through @cloudagent-phone/server's `serveOnNode`; the simulator keeps
 * these few lines of its own because it is published (the consumer test installs it from its
 * tarball) and that package is private: a published package cannot depend on it.
 */
export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const { port = 0, host = '127.0.0.1', stateFile, ...simulatorOptions } = options;
  const simulator = createSimulator(simulatorOptions);
  if (stateFile) {
    const saved = readStateFile(stateFile);
    if (saved) simulator.state.restore(saved);
    simulator.state.onChange = () => writeStateFile(stateFile, simulator.state.snapshot());
    if (!saved) writeStateFile(stateFile, simulator.state.snapshot());
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: simulator.app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...simulator,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets would hold close() open until they time out.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export * from './index.js';
