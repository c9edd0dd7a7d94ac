import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
}

/**
 * A tiny node:http server on an ephemeral port, for the transport contract. Routes:
 * - `/echo`: 200 with a JSON echo of what arrived;
 * - `/status?code=N&type=html|json`: that status with a fixed body (and x-request-id, retry-after);
 * - `/redirect`: a 302 to /echo;
 * - `/slow` (and any path under it): never answers; records when the client closes the connection;
 * - `/reset`: reads the request, then destroys the socket without a response;
 * - `/reset-mid-body`: sends headers and half a body, then destroys the socket.
 */
export async function startTestServer() {
  const received: Received[] = [];
  const closedWhileWaiting: string[] = [];
  const waiters: (() => void)[] = [];
  const arrivals: (() => void)[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname.startsWith('/slow') ? '/slow' : url.pathname) {
      case '/status': {
        const code = Number(url.searchParams.get('code') ?? 500);
        const html = url.searchParams.get('type') === 'html';
        res.writeHead(code, {
          'content-type': html ? 'text/html' : 'application/json',
          'x-request-id': 'req-123',
          ...(code === 429 ? { 'retry-after': '7' } : {}),
        });
        res.end(html ? '<html><body><h1>502 Bad Gateway</h1></body></html>' : '{"status":"false","message":"Missing userName or apiKey"}');
        return;
      }
      case '/redirect':
        res.writeHead(302, { location: '/echo' });
        res.end();
        return;
      case '/slow':
        return; // never answered; the close is watched from the moment the headers arrived
      case '/reset':
        req.socket.destroy();
        return;
      case '/reset-mid-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"status":"succ');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      default:
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ method: req.method, url: req.url, body, headers: req.headers }));
    }
  };

  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/slow')) {
      res.on('close', () => {
        if (!res.writableEnded) {
          closedWhileWaiting.push(req.url ?? '');
          for (const w of waiters.splice(0)) w();
        }
      });
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body });
      for (const a of arrivals.splice(0)) a();
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    closedWhileWaiting,
    /** Resolves when the server saw a client close a /slow request (or fails after `ms`). */
    // Generous: on two loaded cores (turbo runs several suites at once) a close can take seconds to be seen.
    waitForClose(ms = 15_000): Promise<void> {
      if (closedWhileWaiting.length > 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server never saw the connection close')), ms);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    /** Resolves when the next request has fully arrived. */
    nextArrival(): Promise<void> {
      return new Promise((resolve) => arrivals.push(resolve));
    },
    reset() {
      received.length = 0;
      closedWhileWaiting.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** A port with nothing listening on it: bind one, note it, close it. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
