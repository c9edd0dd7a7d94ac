import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTRACT_CONTROL_PATH, type Received } from './contract-server.js';

export { CONTRACT_CONTROL_PATH, type Received } from './contract-server.js';
export { startCountingRelay, type CountingRelay } from './counting-relay.js';

/**
 * The server the transport contract talks to: node:http on an ephemeral loopback port. Start it
 * beside the suite (`server: startContractServer`), or in a global setup and hand its `url` to
 * tests that cannot start servers (inside workerd). Routes:
 * - `/echo`: 200 with a JSON echo of what arrived;
 * - `/status?code=N&type=html|json`: that status with a fixed body (and x-request-id, retry-after);
 * - `/redirect`: a 302 to /echo;
 * - `/slow` (and any path under it): never answers; records when the client closes the connection;
 * - `/reset`: reads the request, then destroys the socket without a response;
 * - `/reset-mid-body`: sends headers and half a body, then destroys the socket;
 * - `/chunked`: 200 with a JSON body in several chunks (Transfer-Encoding: chunked, and a trailer);
 * - `/until-close`: 200 with neither Content-Length nor chunked: the body ends when the connection does;
 * - `/close`: 200 with `Connection: close`; the server closes the connection after the answer;
 * - `/close-idle`: 200, keeping the connection; 20 ms after the answer the server closes it (an
 *   idle keep-alive connection timed out by the server), counted in `idleCloses`;
 * - `/slow-body`: headers and half a body, then nothing (like /slow, records when the client closes).
 *
 * Every recorded request says which connection it came on (`connection`: 1, 2, ... in the order
 * the server accepted them), so a test can tell a reused connection from a new one.
 *
 * and its control routes under `/__contract/` (never recorded): what `contractServerAt(url)` from
 * `@cloudagent-phone/transport/testing` drives. The same state is on the returned object, for
 * tests in this process.
 */
export async function startContractServer() {
  const received: Received[] = [];
  const closedWhileWaiting: string[] = [];
  const waiters: (() => void)[] = [];
  let arrivalCount = 0;
  const arrivalWaiters: { count: number; resolve: () => void }[] = [];
  let idleCloseCount = 0;
  const idleCloseWaiters: { count: number; resolve: () => void }[] = [];
  const connectionIds = new WeakMap<object, number>();
  let connectionCount = 0;

  const handler = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname !== '/slow-body' && url.pathname.startsWith('/slow') ? '/slow' : url.pathname) {
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
      case '/close':
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.end('{"closing":true}');
        return;
      case '/close-idle':
        res.on('finish', () => {
          setTimeout(() => {
            req.socket.destroy();
            idleCloseCount++;
            for (const w of idleCloseWaiters.filter((x) => x.count <= idleCloseCount)) {
              idleCloseWaiters.splice(idleCloseWaiters.indexOf(w), 1);
              w.resolve();
            }
          }, 20);
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"idle":"closing soon"}');
        return;
      case '/slow-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"status":"succ');
        return; // the rest never comes; the close is watched like /slow's
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

  const state = {
    received,
    closedWhileWaiting,
    /** Resolves when the server saw a client close a /slow request (or fails after `ms`). */
    // Generous: on two loaded cores (turbo runs several suites at once) a close can take seconds to be seen.
    waitForClose(ms = 15_000): Promise<void> {
      if (closedWhileWaiting.length > 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
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
      return new Promise<void>((resolve) => arrivalWaiters.push({ count, resolve }));
    },
    /** How many idle connections the server has closed after a /close-idle answer (never reset). */
    idleCloses: () => idleCloseCount,
    /** Resolves once the server has closed `count` idle connections since it started. */
    waitForIdleCloses(count: number): Promise<void> {
      if (idleCloseCount >= count) return Promise.resolve();
      return new Promise<void>((resolve) => idleCloseWaiters.push({ count, resolve }));
    },
    reset() {
      received.length = 0;
      closedWhileWaiting.length = 0;
    },
  };

  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith(`${CONTRACT_CONTROL_PATH}/`)) return control(state, req, res);
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
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body, connection: connectionIds.get(req.socket) ?? 0 });
      arrivalCount++;
      for (const w of arrivalWaiters.filter((x) => x.count <= arrivalCount)) {
        arrivalWaiters.splice(arrivalWaiters.indexOf(w), 1);
        w.resolve();
      }
      handler(req, res, body);
    });
  });
  server.on('connection', (socket) => connectionIds.set(socket, ++connectionCount));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type RunningContractServer = Awaited<ReturnType<typeof startContractServer>>;

/** A port with nothing listening on it: bind one, note it, close it. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

type ServerState = Omit<RunningContractServer, 'url' | 'close'>;

/** The control routes `contractServerAt` drives; answers are JSON, a wait that gave up is a 504. */
function control(state: ServerState, req: IncomingMessage, res: ServerResponse) {
  const json = (value: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value ?? null));
  };
  const fail = (error: unknown) => json({ error: String(error) }, 504);
  const url = new URL(req.url ?? '/', 'http://x');
  // The request's body (none is expected) is drained so the connection can be reused.
  req.resume();
  switch (url.pathname.slice(CONTRACT_CONTROL_PATH.length)) {
    case '/reset':
      state.reset();
      return json(null);
    case '/received':
      return json(state.received);
    case '/closed-while-waiting':
      return json(state.closedWhileWaiting);
    case '/wait-close':
      return void state.waitForClose().then(() => json(null), fail);
    case '/arrivals':
      return json(state.arrivals());
    case '/wait-arrivals':
      return void state.waitForArrivals(Number(url.searchParams.get('count'))).then(() => json(null), fail);
    case '/idle-closes':
      return json(state.idleCloses());
    case '/wait-idle-closes':
      return void state.waitForIdleCloses(Number(url.searchParams.get('count'))).then(() => json(null), fail);
    case '/closed-port':
      return void closedPort().then((port) => json(port), fail);
    default:
      return json({ error: `no control route ${url.pathname}` }, 404);
  }
}
