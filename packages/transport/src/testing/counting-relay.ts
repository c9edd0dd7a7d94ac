import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A TCP relay in front of a server, counting the connections a client opens through it. */
export interface CountingRelay {
  /** `http://127.0.0.1:<port>`: send to this instead of the server. */
  url: string;
  /** Connections made through the relay so far. */
  opened(): number;
  /** Connections open now. */
  openNow(): number;
  /** The most open at once so far. */
  mostAtOnce(): number;
  /** Closes every relayed connection and the relay. */
  close(): Promise<void>;
}

/**
 * A TCP relay in front of `target` (an http URL) that counts the connections made through it: for
 * a test that holds a pooling transport (or an app built on one) to its connection limit and to
 * closing its idle connections. Bytes pass through untouched.
 */
export async function startCountingRelay(target: string): Promise<CountingRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let opened = 0;
  let now = 0;
  let most = 0;
  const server = createServer((client) => {
    opened += 1;
    most = Math.max(most, ++now);
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    let open = true;
    const done = () => {
      if (open) now -= 1;
      open = false;
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) socket.on('close', done).on('error', done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    opened: () => opened,
    openNow: () => now,
    mostAtOnce: () => most,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
