import { readFileSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeepAliveTransport, type KeepAliveTransport } from '../src/keep-alive-transport.js';

// The keep-alive transport's own cases, beside the transport contract it passes with every other
// transport (transports.test.ts): connection reuse and its limits, the stale keep-alive race, the
// idle timeout, TLS, abort while waiting for a connection. Driven by a scripted HTTP/1.1 server on
// loopback whose every answer the test decides, and which sees exactly what was written on which
// connection.

const CANARY = 'CANARY-KEY-keepalive-3b9e';
const OK = (body = '{"status":"success"}', extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const certificate = readFileSync(new URL('./fixtures/localhost-cert.pem', import.meta.url));
const privateKey = readFileSync(new URL('./fixtures/localhost-key.pem', import.meta.url));

interface RawRequest {
  /** 1, 2, ... in the order the server accepted connections. */
  connection: number;
  /** 1 for the first request on its connection, 2 for the second... */
  nth: number;
  line: string;
  head: string;
  body: string;
}

/** What the server does with a request: answer these bytes (now or later), close the connection without an answer, or never answer. */
type Reply = string | Promise<string> | 'destroy' | 'hold';

/**
 * A raw HTTP/1.1 server: reads requests by Content-Length, answers as `reply` says, records every
 * request with its connection, every connection it saw close, and any request that arrived on a
 * connection while an earlier one there was still unanswered (pipelining, which must never happen).
 */
async function scriptedServer(reply: (request: RawRequest, socket: Socket) => Reply, options: { tls?: boolean } = {}) {
  const requests: RawRequest[] = [];
  const closed = new Set<number>();
  const closeWaiters: { id: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let overlaps = 0;
  const onSocket = (socket: Socket) => {
    const id = ++accepted;
    sockets.add(socket);
    let buffer = Buffer.alloc(0);
    let unanswered = 0;
    let nth = 0;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      closed.add(id);
      for (const w of closeWaiters.filter((x) => x.id === id)) {
        closeWaiters.splice(closeWaiters.indexOf(w), 1);
        w.resolve();
      }
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.byteLength < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        buffer = buffer.subarray(end + 4 + length);
        if (unanswered > 0) overlaps++;
        const request = { connection: id, nth: ++nth, line: head.split('\r\n')[0]!, head, body };
        requests.push(request);
        const answer = reply(request, socket);
        if (answer === 'destroy') socket.destroy();
        else if (answer !== 'hold') {
          unanswered++;
          void Promise.resolve(answer).then((bytes) => {
            unanswered--;
            if (!socket.destroyed) socket.write(bytes);
          });
        } else unanswered++;
      }
    });
  };
  const server: Server = options.tls ? createTlsServer({ cert: certificate, key: privateKey }, onSocket) : createNetServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scripted = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    overlaps: () => overlaps,
    closed,
    /** Resolves when the server saw connection `id` close; rejects after a generous wait. */
    waitForClose(id: number, ms = 15_000): Promise<void> {
      if (closed.has(id)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server never saw connection ${id} close`)), ms);
        closeWaiters.push({
          id,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(scripted);
  return scripted;
}

const servers: { close(): Promise<void> }[] = [];
const transports: KeepAliveTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function keepAlive(options: Parameters<typeof createKeepAliveTransport>[0] = {}): KeepAliveTransport {
  const transport = createKeepAliveTransport(options);
  transports.push(transport);
  return transport;
}

const post = (url: string, body = '{"action":"edit"}') => ({ method: 'POST' as const, url: `${url}/ca_apis/PhoneManageV2`, headers: { 'content-type': 'application/json', apiKey: CANARY }, body });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; delivery?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('keep-alive transport: connections are reused', () => {
  it('sends one request after another on one connection, asking to keep it alive', async () => {
    const server = await scriptedServer(() => OK());
    const transport = keepAlive();
    for (let i = 0; i < 3; i++) expect((await transport.send(post(server.url, `{"n":${i}}`), AbortSignal.timeout(5000))).body).toBe('{"status":"success"}');
    expect(server.requests.map((r) => [r.connection, r.nth, r.body])).toEqual([
      [1, 1, '{"n":0}'],
      [1, 2, '{"n":1}'],
      [1, 3, '{"n":2}'],
    ]);
    expect(server.requests[0]!.head).toContain('\r\nConnection: keep-alive\r\n');
  });

  it('opens at most maxSockets connections to an origin and never puts two requests on one at once', async () => {
    const server = await scriptedServer(() => sleep(20).then(() => OK()));
    const transport = keepAlive({ maxSockets: 2 });
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => transport.send(post(server.url, `{"n":${i}}`), AbortSignal.timeout(10_000))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(server.connections()).toBe(2);
    expect(server.overlaps()).toBe(0);
    expect(server.requests.map((r) => r.body).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `{"n":${i}}`).sort());
  });

  it('keeps a pool per origin: a busy origin does not hold up another', async () => {
    const slow = await scriptedServer(() => 'hold');
    const fast = await scriptedServer(() => OK());
    const transport = keepAlive({ maxSockets: 1 });
    const controller = new AbortController();
    const held = failure(transport.send(post(slow.url), controller.signal));
    expect((await transport.send(post(fast.url), AbortSignal.timeout(5000))).status).toBe(200);
    controller.abort();
    expect(await held).toMatchObject({ code: 'aborted', delivery: 'maybe_sent' });
  });

  it('does not reuse a connection after Connection: close, an HTTP/1.0 answer, or bytes after the answer', async () => {
    const answers = [OK('{}', 'Connection: close\r\n'), 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}', `${OK('{}')}HTTP/1.1 200 OK\r\n`, OK('{}')];
    const server = await scriptedServer(() => answers.shift()!);
    const transport = keepAlive();
    for (let i = 0; i < 4; i++) expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).body).toBe('{}');
    expect(server.requests.map((r) => [r.connection, r.nth])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ]);
  });

  it('reuses a connection after a chunked answer, a 204 and the answer to a HEAD', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      'HTTP/1.1 204 No Content\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n',
      OK('{}'),
    ];
    const server = await scriptedServer(() => answers.shift()!);
    const transport = keepAlive();
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).body).toBe('abc');
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).status).toBe(204);
    // HEAD is not a CloudAgent method; the codec still frames its answer right (no body).
    const head = { method: 'HEAD', url: `${server.url}/`, headers: {} } as unknown as Parameters<KeepAliveTransport['send']>[0];
    expect(await transport.send(head, AbortSignal.timeout(5000))).toMatchObject({ status: 200, body: '' });
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).body).toBe('{}');
    expect(server.connections()).toBe(1);
    expect(server.requests.map((r) => r.line.split(' ')[0])).toEqual(['POST', 'POST', 'HEAD', 'POST']);
  });

  it('sends a GET with a JSON body on a reused connection (v2 get, the read-back)', async () => {
    const server = await scriptedServer(() => OK('{"status":"success","data":[]}'));
    const transport = keepAlive();
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    const get = { method: 'GET' as const, url: `${server.url}/ca_apis/PhoneManageV2`, headers: { 'content-type': 'application/json' }, body: '{"action":"get"}' };
    expect((await transport.send(get, AbortSignal.timeout(5000))).body).toBe('{"status":"success","data":[]}');
    expect(server.requests[1]).toMatchObject({ connection: 1, nth: 2, body: '{"action":"get"}' });
    expect(server.requests[1]!.line).toBe('GET /ca_apis/PhoneManageV2 HTTP/1.1');
  });
});

describe('keep-alive transport: connections the server closes', () => {
  it('a connection seen closed while idle is replaced before writing: the request goes out once, on a new one', async () => {
    const server = await scriptedServer((_request, socket) => {
      setTimeout(() => socket.destroy(), 10);
      return OK();
    });
    const transport = keepAlive();
    await transport.send(post(server.url, '{"n":1}'), AbortSignal.timeout(5000));
    await server.waitForClose(1);
    await sleep(100);
    expect((await transport.send(post(server.url, '{"n":2}'), AbortSignal.timeout(5000))).status).toBe(200);
    expect(server.requests.map((r) => [r.connection, r.body])).toEqual([
      [1, '{"n":1}'],
      [2, '{"n":2}'],
    ]);
  });

  it('the stale keep-alive race (closed as the request was written) is maybe_sent, and the request is never sent again', async () => {
    // The server takes the second request on a kept connection and closes it without a word, as
    // a server timing out an idle connection does when the request crosses its close.
    const server = await scriptedServer((request) => (request.nth === 2 ? 'destroy' : OK()));
    const transport = keepAlive();
    await transport.send(post(server.url, '{"n":1}'), AbortSignal.timeout(5000));
    const error = await failure(transport.send(post(server.url, '{"n":2}'), AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ name: 'TransportError', code: 'reset', delivery: 'maybe_sent' });
    expect(error.message).toContain('may have arrived');
    expect(error.message).not.toContain(CANARY);
    await sleep(200);
    expect(server.requests.map((r) => [r.connection, r.body])).toEqual([
      [1, '{"n":1}'],
      [1, '{"n":2}'],
    ]);
    expect(server.connections()).toBe(1);
    // The next request goes out on a new connection.
    expect((await transport.send(post(server.url, '{"n":3}'), AbortSignal.timeout(5000))).status).toBe(200);
    expect(server.requests.at(-1)).toMatchObject({ connection: 2, body: '{"n":3}' });
  });

  it('bytes arriving on an idle connection (an unasked 408) retire it: the next request goes out on a new one', async () => {
    const server = await scriptedServer((_request, socket) => {
      setTimeout(() => socket.write('HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n'), 10);
      return OK();
    });
    const transport = keepAlive();
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    await server.waitForClose(1);
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).status).toBe(200);
    expect(server.requests.map((r) => r.connection)).toEqual([1, 2]);
  });
});

describe('keep-alive transport: idle connections', () => {
  it('closes a connection left idle for idleTimeoutMs', async () => {
    const server = await scriptedServer(() => OK());
    const transport = keepAlive({ idleTimeoutMs: 100 });
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    await server.waitForClose(1);
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).status).toBe(200);
    expect(server.requests.map((r) => r.connection)).toEqual([1, 2]);
  });

  it("lets go a second before the server's Keep-Alive timeout, and not at all when that leaves nothing", async () => {
    const hints = ['Keep-Alive: timeout=2\r\n', 'Keep-Alive: timeout=1, max=100\r\n', ''];
    const server = await scriptedServer(() => OK('{}', hints.shift() ?? ''));
    const transport = keepAlive({ idleTimeoutMs: 60_000 });
    const started = Date.now();
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    await server.waitForClose(1);
    // A second before the server's two: long before the transport's own minute.
    expect(Date.now() - started).toBeLessThan(30_000);
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    await server.waitForClose(2);
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    expect(server.requests.map((r) => r.connection)).toEqual([1, 2, 3]);
  });

  it('an idle connection does not keep Node running (a CLI exits with it open)', async () => {
    let answer!: () => void;
    const server = await scriptedServer((_request, socket) => {
      // The server's side of the connection must not hold the loop either, to count the client's.
      socket.unref();
      return new Promise<string>((resolve) => (answer = () => resolve(OK())));
    });
    const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    // Sockets of the cases before this one may still be closing: wait until the count holds still.
    let before = tcpHandles();
    for (let i = 0; i < 100; i++) {
      await sleep(20);
      if (tcpHandles() === before) break;
      before = tcpHandles();
    }
    const transport = keepAlive();
    const pending = transport.send(post(server.url), AbortSignal.timeout(5000));
    while (server.requests.length === 0) await sleep(5);
    // Busy: it holds the loop, as it must (the answer is awaited).
    expect(tcpHandles()).toBe(before + 1);
    answer();
    await pending;
    expect(tcpHandles()).toBe(before);
    expect(server.closed.has(1)).toBe(false);
    // And it is taken again (and held while busy) for the next request.
    const next = transport.send(post(server.url), AbortSignal.timeout(5000));
    while (server.requests.length === 1) await sleep(5);
    expect(tcpHandles()).toBe(before + 1);
    answer();
    await next;
    expect(tcpHandles()).toBe(before);
    expect(server.requests.map((r) => r.connection)).toEqual([1, 1]);
  });

  it('close() closes idle connections, lets a busy one finish, then refuses to send (not_sent)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await scriptedServer((request) => (request.body === '{"slow":true}' ? gate.then(() => OK()) : OK()));
    const transport = keepAlive();
    await transport.send(post(server.url), AbortSignal.timeout(5000));
    const busy = transport.send(post(server.url, '{"slow":true}'), AbortSignal.timeout(5000));
    await transport.send(post(server.url), AbortSignal.timeout(5000)); // a second connection, idle after this
    await sleep(20);
    const closing = transport.close();
    await server.waitForClose(2);
    expect(server.closed.has(1)).toBe(false);
    expect(await failure(transport.send(post(server.url), AbortSignal.timeout(5000)))).toMatchObject({ code: 'network', delivery: 'not_sent' });
    release();
    expect((await busy).status).toBe(200);
    await closing;
    await server.waitForClose(1);
    expect(server.requests).toHaveLength(3);
  });
});

describe('keep-alive transport: cancelling', () => {
  it('a request waiting for a connection is not_sent when cancelled, and never goes out', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await scriptedServer(() => gate.then(() => OK()));
    const transport = keepAlive({ maxSockets: 1 });
    const first = transport.send(post(server.url, '{"n":1}'), AbortSignal.timeout(5000));
    const controller = new AbortController();
    const queued = failure(transport.send(post(server.url, '{"n":2}'), controller.signal));
    await sleep(50);
    controller.abort();
    expect(await queued).toMatchObject({ code: 'aborted', delivery: 'not_sent' });
    release();
    expect((await first).status).toBe(200);
    await sleep(100);
    expect(server.requests.map((r) => r.body)).toEqual(['{"n":1}']);
  });

  it('a request cancelled while its connection is opening (a TLS handshake that never ends) is not_sent', async () => {
    // A TCP server that accepts and never speaks: the TLS handshake hangs.
    const silent = createNetServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const accepted: Socket[] = [];
    silent.on('connection', (s) => accepted.push(s));
    servers.push({ close: () => new Promise<void>((resolve) => { for (const s of accepted) s.destroy(); silent.close(() => resolve()); }) });
    const transport = keepAlive();
    const controller = new AbortController();
    const pending = failure(transport.send(post(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`), controller.signal));
    await sleep(100);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted', delivery: 'not_sent' });
  });

  it('removes its abort listener from the signal however a request ends', async () => {
    const server = await scriptedServer((request) => (request.body === '{"drop":true}' ? 'destroy' : OK()));
    const transport = keepAlive({ maxSockets: 1 });
    const answered = new AbortController();
    await transport.send(post(server.url), answered.signal);
    const dropped = new AbortController();
    await failure(transport.send(post(server.url, '{"drop":true}'), dropped.signal));
    const refused = new AbortController();
    await failure(transport.send(post(`http://127.0.0.1:${await freePort()}`), refused.signal));
    for (const controller of [answered, dropped, refused]) expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('keep-alive transport: https', () => {
  it('speaks TLS with the given CA, reuses the connection, and sends a GET with a body', async () => {
    const server = await scriptedServer(() => OK('{"secure":true}'), { tls: true });
    const transport = keepAlive({ tls: { ca: certificate } });
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).body).toBe('{"secure":true}');
    const get = { method: 'GET' as const, url: `${server.url}/ca_apis/PhoneManageV2`, headers: {}, body: '{"action":"get"}' };
    expect((await transport.send(get, AbortSignal.timeout(5000))).body).toBe('{"secure":true}');
    expect(server.requests.map((r) => [r.connection, r.line])).toEqual([
      [1, 'POST /ca_apis/PhoneManageV2 HTTP/1.1'],
      [1, 'GET /ca_apis/PhoneManageV2 HTTP/1.1'],
    ]);
  });

  it('a certificate it cannot verify is a tls failure, not_sent, and nothing arrives', async () => {
    const server = await scriptedServer(() => OK(), { tls: true });
    const error = await failure(keepAlive().send(post(server.url), AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ name: 'TransportError', code: 'tls', delivery: 'not_sent' });
    expect(error.message).not.toContain(CANARY);
    expect(server.requests).toEqual([]);
  });
});

describe('keep-alive transport: limits and options', () => {
  it('TLS options node:tls refuses (before any socket exists) are connect_failed, not_sent, and leave no listener', async () => {
    const server = await scriptedServer(() => OK(), { tls: true });
    const controller = new AbortController();
    const error = await failure(keepAlive({ tls: { minVersion: 'TLSv9' as 'TLSv1.3' } }).send(post(server.url), controller.signal));
    expect(error).toMatchObject({ name: 'TransportError', code: 'connect_failed', delivery: 'not_sent' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(server.requests).toEqual([]);
  });

  it('refuses an answer over maxBodyBytes or maxHeadBytes as maybe_sent, and drops the connection', async () => {
    const answers = [OK('x'.repeat(100)), `HTTP/1.1 200 OK\r\nX-Big: ${'y'.repeat(300)}\r\nContent-Length: 2\r\n\r\n{}`, OK('{}')];
    const server = await scriptedServer(() => answers.shift()!);
    const transport = keepAlive({ maxBodyBytes: 50, maxHeadBytes: 200 });
    const body = await failure(transport.send(post(server.url), AbortSignal.timeout(5000)));
    expect(body).toMatchObject({ code: 'network', delivery: 'maybe_sent' });
    expect(body.message).toContain('larger than 50 bytes');
    const head = await failure(transport.send(post(server.url), AbortSignal.timeout(5000)));
    expect(head).toMatchObject({ code: 'network', delivery: 'maybe_sent' });
    expect(head.message).toContain('larger than 200 bytes');
    expect((await transport.send(post(server.url), AbortSignal.timeout(5000))).body).toBe('{}');
    expect(server.requests.map((r) => r.connection)).toEqual([1, 2, 3]);
  });

  it.each([
    ['maxSockets', { maxSockets: 0 }],
    ['maxSockets', { maxSockets: 1.5 }],
    ['idleTimeoutMs', { idleTimeoutMs: -1 }],
  ])('refuses a bad %s at creation, naming it', (name, options) => {
    expect(() => createKeepAliveTransport(options)).toThrow(new RegExp(`${name} must be a whole number`));
  });
});

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
