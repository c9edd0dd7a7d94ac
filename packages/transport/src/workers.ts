import { connect } from 'cloudflare:sockets';
import { createSocketTransport as createSocketTransportOver, type SocketTransportOptions } from './socket-transport.js';
import type { Transport } from './transport.js';

export type { SocketConnect, SocketConnectOptions, SocketLike, SocketTransportOptions } from './socket-transport.js';

/**
 * The socket transport over the Workers runtime's `connect()`: HTTP/1.1 on a TCP socket (TLS for
 * https), so a Worker can send v2 `get` (a GET with a JSON body) and read back ambiguous mutations.
 * `connect` can be replaced (a wrapper that records or limits connections).
 */
export function createSocketTransport(options: Partial<SocketTransportOptions> = {}): Transport {
  return createSocketTransportOver({ ...options, connect: options.connect ?? connect });
}
