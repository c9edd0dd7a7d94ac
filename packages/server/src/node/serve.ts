import { serve, type HttpBindings, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What serves requests: a Hono app, or anything with a web-standard `fetch`. The second argument is
 * @hono/node-server's: the raw Node request and response (`incoming`, `outgoing`), for what a
 * `Request` cannot carry, such as the body of a GET.
 */
export interface FetchApp {
  fetch(request: Request, env: HttpBindings): Response | Promise<Response>;
}

export type { HttpBindings };

export interface ServeOnNodeOptions {
  /** Default 127.0.0.1 (this machine only); 0.0.0.0 or :: to listen on every interface. */
  host?: string;
  /** Default 0: a free port, which the answer names. */
  port?: number;
  /**
   * Node's own backstops, for requests the app's deadlines cannot see: how long the headers may take
   * to arrive (Node's default 60 s), and the whole request (default 300 s). A server whose app reads
   * bodies under its own deadline sets these just above it, so a trickle cannot hold a connection.
   */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface CloseOptions {
  /**
   * How long requests already being answered may run on once the server stops accepting; then their
   * connections are cut. Default 0: cut at once (tests, and callers that have settled their own work).
   */
  graceMs?: number;
}

export interface NodeServer {
  /** `http://host:port`, no trailing slash (an IPv6 host in brackets). */
  url: string;
  port: number;
  /** The Node server itself, for settings this helper does not name (timeouts). */
  server: Server;
  /**
   * Stops accepting, closes idle keep-alive connections, lets requests in flight finish within
   * `graceMs`, then cuts what is left. Resolves once every connection is gone. Calling it again
   * returns the same promise.
   */
  close(options?: CloseOptions): Promise<void>;
}

// While draining, idle keep-alive connections are closed this often: a connection whose last
// response just finished would otherwise hold close() open until the grace period ends.
const DRAIN_SWEEP_MS = 50;

/**
 * Serves a web-standard app on Node's http server (through @hono/node-server), on a real socket.
 * Rejects when the address cannot be taken (EADDRINUSE, EACCES), rather than leaving the caller
 * waiting or the process crashing on an unhandled 'error'.
 */
export function serveOnNode(app: FetchApp, options: ServeOnNodeOptions = {}): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: (request, env) => app.fetch(request, env as HttpBindings), hostname: host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, server: server as Server, close: closer(server as Server) });
    }) as ServerType;
    server.once('error', reject);
    const node = server as Server;
    if (options.headersTimeoutMs !== undefined) node.headersTimeout = options.headersTimeoutMs;
    if (options.requestTimeoutMs !== undefined) node.requestTimeout = options.requestTimeoutMs;
  });
}

function closer(server: Server): NodeServer['close'] {
  let closing: Promise<void> | undefined;
  return (options = {}) => {
    closing ??= new Promise<void>((resolve, reject) => {
      const graceMs = options.graceMs ?? 0;
      const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_SWEEP_MS);
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close((error) => {
        clearInterval(sweep);
        clearTimeout(cut);
        if (error) reject(error);
        else resolve();
      });
      if (graceMs <= 0) server.closeAllConnections();
      else server.closeIdleConnections();
    });
    return closing;
  };
}
