import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export { startCountingRelay, type CountingRelay } from '@cloudagent-phone/transport/testing/node';
