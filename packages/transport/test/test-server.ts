import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractServer, Received } from './contract-server.js';

/**
 * A tiny node:http server on an ephemeral port, for the transport contract. Routes:
 * - `/echo`: 200 with a JSON echo of what arrived;
 * - `/status?code=N&type=html|json`: that status with a fixed body (and x-request-id, retry-after);
 * - `/redirect`: a 302 to /echo;
 * - `/slow` (and any path under it): never answers; records when the client closes the connection;
 * - `/reset`: reads the request, then destroys the socket without a response;
 * - `/reset-mid-body`: sends headers and half a body, then destroys the socket;
 * - `/chunked`: 200 with a JSON body in several chunks (Transfer-Encoding: chunked, and a trailer);
 * - `/until-close`: 200 with neither Content-Length nor chunked: the body ends when the connection does.
 */
export async function startTestServer() {
  const received: Received[] = [];
  const closedWhileWaiting: string[] = [];
  const waiters: (() => void)[] = [];
  let arrivalCount = 0;
  const arrivalWaiters: { count: number; resolve: () => void }[] = [];

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
      case '/chunked': {
        res.writeHead(200, { 'content-type': 'application/json', trailer: 'x-checksum' });
        const parts = ['{"status":"success",', '"message":"Phone Number ', 'détails ok","data":', JSON.stringify(body), '}'];
        let i = 0;
        const next = () => {
          if (i < parts.length) {
            res.write(parts[i++]);
            setTimeout(next, 5);
          } else {
            res.addTrailers({ 'x-checksum': 'abc' });
            res.end();
          }
        };
        next();
        return;
      }
      case '/until-close':
        req.socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-framing: none\r\n\r\nthe body ends with the connection');
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
      arrivalCount++;
      for (const w of arrivalWaiters.filter((x) => x.count <= arrivalCount)) {
        arrivalWaiters.splice(arrivalWaiters.indexOf(w), 1);
        w.resolve();
      }
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
    /** How many requests have fully arrived since the server started (never reset). */
    arrivals: () => arrivalCount,
    /** Resolves once `count` requests have fully arrived since the server started. */
    waitForArrivals(count: number): Promise<void> {
      if (arrivalCount >= count) return Promise.resolve();
      return new Promise((resolve) => arrivalWaiters.push({ count, resolve }));
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

/** The ContractServer view of a server in this process. */
export function localContractServer(server: TestServer): ContractServer {
  return {
    url: server.url,
    reset: async () => server.reset(),
    received: async () => server.received,
    closedWhileWaiting: async () => server.closedWhileWaiting,
    waitForClose: () => server.waitForClose(),
    arrivals: async () => server.arrivals(),
    waitForArrivals: (count) => server.waitForArrivals(count),
    closedPort,
  };
}

/**
 * A second server, on its own port, that lets another process drive `server` (remoteContractServer
 * is its client): the run inside workerd cannot start a server, so its global setup starts both.
 * Its own traffic never shows up in `received`.
 */
export async function startContractControl(server: TestServer): Promise<{ url: string; close: () => Promise<void> }> {
  const json = (res: ServerResponse, value: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value ?? null));
  };
  const control = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const fail = (error: unknown) => json(res, { error: String(error) }, 504);
    switch (url.pathname) {
      case '/reset':
        server.reset();
        return json(res, null);
      case '/received':
        return json(res, server.received);
      case '/closed-while-waiting':
        return json(res, server.closedWhileWaiting);
      case '/wait-close':
        return void server.waitForClose().then(() => json(res, null), fail);
      case '/arrivals':
        return json(res, server.arrivals());
      case '/wait-arrivals':
        return void server.waitForArrivals(Number(url.searchParams.get('count'))).then(() => json(res, null), fail);
      case '/closed-port':
        return void closedPort().then((port) => json(res, port), fail);
      default:
        return json(res, { error: `no control route ${url.pathname}` }, 404);
    }
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        control.closeAllConnections();
        control.close(() => resolve());
      }),
  };
}
