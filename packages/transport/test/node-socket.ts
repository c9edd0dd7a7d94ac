import { connect as netConnect } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { SocketConnect } from '../src/socket-transport.js';

/** A `cloudflare:sockets`-shaped connect over node:net/node:tls, to drive the socket transport on Node. */
export const nodeSocketConnect: SocketConnect = (address, options) => {
  const socket = options.secureTransport === 'on' ? tlsConnect({ host: address.hostname, port: address.port, servername: address.hostname }) : netConnect({ host: address.hostname, port: address.port });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once(options.secureTransport === 'on' ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', (hadError) => (hadError ? reject(new Error('the socket closed with an error')) : resolve()));
  });
  const { readable, writable } = Duplex.toWeb(socket);
  return {
    readable: readable as ReadableStream<Uint8Array>,
    writable: writable as WritableStream<Uint8Array>,
    opened,
    closed,
    close: async () => {
      socket.destroy();
    },
  };
};
