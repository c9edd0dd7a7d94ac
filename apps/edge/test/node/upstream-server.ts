import { createServer, type IncomingMessage } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { serveOnNode } from '@cloudagent-phone/server/node';
import type { Account, Upstream } from '../suite/upstream.js';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

function closeServer(server: { close(cb: () => void): unknown; closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The simulators behind a real loopback port, passing the raw Node request on (so a GET's body
 * reaches them), the way CloudAgent is reached from both the Node edge and the Worker.
 */
export async function startUpstreamServer(upstream: Upstream): Promise<Listening> {
  const server = await serveOnNode({ fetch: (request, env) => upstream.handle(request, env) });
  return { url: server.url, close: () => server.close() };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * The control API that remoteUpstreamView (test/suite/upstream.ts) talks to: the run inside workerd
 * cannot reach the simulators' memory, so it asks here. Its own port, so its traffic is not CloudAgent's.
 */
export async function startUpstreamControl(upstream: Upstream): Promise<Listening> {
  const server = createServer((req, res) => {
    const send = (value: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value ?? null));
    };
    readBody(req).then(
      (body) => {
        const [, first, second] = (req.url ?? '/').split('/');
        if (first === 'reset') return send(upstream.reset());
        if (first === 'requests') return send(upstream.requests);
        if (first !== 'basic' && first !== 'token') return send({ error: `no control route ${req.url}` }, 404);
        const control = upstream[first as Account].control;
        switch (second) {
          case 'reset':
            return send(control.reset());
          case 'calls':
            return send(control.calls());
          case 'records':
            return send(control.records());
          case 'faults':
            return send(control.setFaults(body as never));
          default:
            return send({ error: `no control route ${req.url}` }, 404);
        }
      },
      (error: unknown) => send({ error: String(error) }, 400),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

export interface CountingRelay extends Listening {
  /** Connections made through the relay so far. */
  opened(): number;
  /** Connections open now. */
  openNow(): number;
  /** The most open at once so far. */
  mostAtOnce(): number;
}

/** A TCP relay in front of `target` that counts the connections made through it. */
export async function startCountingRelay(target: string): Promise<CountingRelay> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let opened = 0;
  let now = 0;
  let most = 0;
  const server = createNetServer((client) => {
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
