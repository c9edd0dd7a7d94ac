import { connect as netConnect, isIP, type OnReadOpts, type Socket } from 'node:net';
import type * as Tls from 'node:tls';
import type { PlainRequest } from '@cloudagent-phone/core';
import { http1RequestHead, RequestEncodeError, type Http1RequestOptions } from './http1-request.js';
import { createHttp1ResponseParser, Http1ParseError, type Http1Limits, type Http1ParserOptions, type Http1ResponseParser } from './http1-response.js';
import type { Transport, TransportResponse } from './transport.js';
import { TransportError, abortedError, createRequestUrl, networkError } from './transport-error.js';

export interface KeepAliveTransportOptions extends Http1Limits {
  /**
   * Connections kept to one origin (scheme, host and port) at most, each carrying one request at
   * a time. A request beyond waits for a connection to be free (still `not_sent` if it is
   * cancelled while it waits). Default 8.
   */
  maxSockets?: number;
  /**
   * How long a connection with no request on it is kept for the next one, in ms. Default 4000,
   * below the 5 s that Node's and nginx's servers keep one; shortened to a second less than the
   * server's own `Keep-Alive: timeout=N` when it sends one, so the client lets go first.
   */
  idleTimeoutMs?: number;
  /** For https origins: CA, client certificate, `rejectUnauthorized`... (`ALPNProtocols` is always HTTP/1.1). */
  tls?: Tls.ConnectionOptions;
}

/** A transport that holds connections: `close()` it when a server shuts down. */
export interface KeepAliveTransport extends Transport {
  /**
   * Closes the idle connections now and each busy one as soon as its request settles; a request
   * waiting for a connection, and every later `send`, fails `not_sent`. Resolves once every
   * connection is closed. A CLI need not call it: idle connections never keep Node running.
   */
  close(): Promise<void>;
}

const DEFAULT_MAX_SOCKETS = 8;
const DEFAULT_IDLE_TIMEOUT_MS = 4000;
const KEEP_ALIVE: Http1RequestOptions = { connection: 'keep-alive' };
const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout=(\d+)/i;

// node:tls (and crypto with it) costs start-up time a plain-http run never needs: taken from Node
// the first time an https origin is opened.
let tlsModule: typeof Tls | undefined;
const tls = (): typeof Tls => (tlsModule ??= process.getBuiltinModule('node:tls'));

type Phase = 'waiting' | 'connecting' | 'sent' | 'settled';

/** One origin's connections: at most `maxSockets` open (connecting, busy or idle), idle ones reused last-in first-out. */
class OriginPool {
  /** Connections with no request on them; the most recently used last (the least likely to have been closed by the server). */
  readonly idle: Connection[] = [];
  /** Requests waiting for a connection, first come first served. */
  readonly waiting: Exchange[] = [];
  readonly all = new Set<Connection>();
  /** The last TLS session a server gave, to resume it on the next connection (a cheaper handshake). */
  tlsSession: Buffer | undefined;

  constructor(
    readonly transport: KeepAliveTransportState,
    readonly address: { host: string; port: number; secure: boolean },
  ) {}

  /** Gives the exchange a connection now, opens one, or queues it. */
  dispatch(exchange: Exchange): void {
    for (;;) {
      const connection = this.idle.pop();
      if (connection === undefined) break;
      // Seen closed while idle (by the server, or timed out): provably nothing of this request was
      // written to it, so another connection is taken instead, silently.
      if (!connection.usable()) {
        connection.destroy();
        continue;
      }
      connection.attach(exchange);
      return;
    }
    if (this.all.size < this.transport.maxSockets) {
      this.open().attach(exchange);
      return;
    }
    exchange.phase = 'waiting';
    this.waiting.push(exchange);
  }

  open(): Connection {
    const { host, port, secure } = this.address;
    // Reads go straight to the connection, into one buffer the transport reuses, instead of through
    // the socket's readable stream (a Buffer and a 'data' event per read): the parser copies what
    // it keeps. Bound before the socket exists; `connection` is set before any read can happen.
    let connection: Connection | undefined;
    const onread: OnReadOpts = {
      buffer: this.transport.readBuffer,
      callback: (bytes, buffer) => {
        connection!.onBytes(buffer.subarray(0, bytes));
        return true;
      },
    };
    let socket: Socket;
    if (secure) {
      // node:tls takes `onread` as node:net does (its types leave it out).
      const tlsOptions: Tls.ConnectionOptions & { onread: OnReadOpts } = {
        ...this.transport.tlsOptions,
        host,
        port,
        onread,
        // SNI carries a name, never an address (Node warns about an IP there).
        ...(isIP(host) === 0 ? { servername: host } : {}),
        ...(this.tlsSession ? { session: this.tlsSession } : {}),
        ALPNProtocols: ['http/1.1'],
      };
      socket = tls().connect(tlsOptions);
      socket.on('session', (session: Buffer) => {
        this.tlsSession = session;
      });
    } else {
      socket = netConnect({ host, port, onread });
    }
    connection = new Connection(this, socket, secure);
    this.all.add(connection);
    return connection;
  }

  /** A request settled and left its connection reusable: hand it to the next waiting request, or keep it. */
  release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next !== undefined) {
      connection.attach(next);
      return;
    }
    connection.park();
    this.idle.push(connection);
  }

  /** A connection closed: it frees a place, which a waiting request takes. */
  forget(connection: Connection): void {
    if (!this.all.delete(connection)) return;
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    const next = this.waiting.shift();
    if (next !== undefined) this.dispatch(next);
    this.transport.closedOne();
  }

  dequeue(exchange: Exchange): void {
    const at = this.waiting.indexOf(exchange);
    if (at >= 0) this.waiting.splice(at, 1);
  }
}

/** One socket: opened, then carrying one request at a time, idle in between. */
class Connection {
  exchange: Exchange | undefined;
  connected = false;
  /** How many requests it has carried (0: a fresh connection). */
  served = 0;
  idleTimeoutMs: number;
  #dead = false;

  constructor(
    readonly pool: OriginPool,
    readonly socket: Socket,
    secure: boolean,
  ) {
    this.idleTimeoutMs = pool.transport.idleTimeoutMs;
    socket.setNoDelay(true);
    // Node's socket timeout restarts on every read and write and is unref'd: set once, it fires
    // after this long without traffic. While a request is on the socket it is ignored (the
    // request's own signal bounds it); while idle it ends the connection.
    socket.setTimeout(this.idleTimeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      this.connected = true;
      this.exchange?.write();
    });
    socket.on('end', () => {
      this.#dead = true;
      if (this.exchange) this.exchange.onEnd();
      else this.destroy();
    });
    socket.on('error', (error: Error) => {
      this.#dead = true;
      this.exchange?.onError(error);
    });
    socket.on('close', () => {
      this.#dead = true;
      this.exchange?.onClose();
      this.pool.forget(this);
    });
    socket.on('timeout', () => {
      if (this.exchange === undefined) this.destroy();
    });
  }

  /** Bytes read from the socket (in the transport's reused read buffer: valid only during this call). */
  onBytes(chunk: Uint8Array): void {
    if (this.exchange) this.exchange.onData(chunk);
    // Bytes nobody asked for (a 408 before the server closes): the connection's state is unknown.
    else this.destroy();
  }

  /** Open, and seen neither closing nor ending: a request written now goes out on a live connection, as far as can be known. */
  usable(): boolean {
    return !this.#dead && !this.socket.destroyed && this.socket.writable && !this.socket.readableEnded;
  }

  attach(exchange: Exchange): void {
    this.exchange = exchange;
    exchange.connection = this;
    this.socket.ref();
    if (this.connected) exchange.write();
    else exchange.phase = 'connecting';
  }

  /** Idle: it must not keep Node running (a CLI exits with its connections open). */
  park(): void {
    this.exchange = undefined;
    this.socket.unref();
  }

  /** The request on it settled: reuse it if the answer allows, else close it. */
  finish(reusable: boolean, keepAliveHeader: string | undefined): void {
    this.exchange = undefined;
    this.served++;
    if (!reusable || this.pool.transport.closing || !this.usable()) {
      this.destroy();
      return;
    }
    if (keepAliveHeader !== undefined) {
      const serverMs = serverIdleMs(keepAliveHeader);
      if (serverMs !== undefined && serverMs <= 0) {
        this.destroy();
        return;
      }
      if (serverMs !== undefined && serverMs < this.idleTimeoutMs) {
        this.idleTimeoutMs = serverMs;
        this.socket.setTimeout(serverMs);
      }
    }
    this.pool.release(this);
  }

  destroy(): void {
    this.#dead = true;
    this.exchange = undefined;
    this.socket.destroy();
  }
}

/** One request: waiting for a connection, connecting, written, settled. */
class Exchange {
  phase: Phase = 'connecting';
  connection: Connection | undefined;
  #parser: Http1ResponseParser | undefined;
  #receivedAny = false;
  readonly #onAbort = () => this.abort();

  constructor(
    readonly pool: OriginPool,
    readonly bytes: Uint8Array,
    readonly method: string,
    readonly signal: AbortSignal,
    readonly resolve: (response: TransportResponse) => void,
    readonly reject: (error: unknown) => void,
  ) {
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  write(): void {
    const connection = this.connection!;
    // The stale keep-alive race is only provable this side of the write: a connection seen closed
    // now carried nothing of this request, so another one is taken. Once written, it is not.
    if (!connection.usable()) {
      connection.destroy();
      this.connection = undefined;
      if (connection.served > 0) {
        this.pool.dispatch(this);
        return;
      }
      this.fail(new TransportError('connect_failed', 'not_sent', 'the connection closed as soon as it opened, before the request was written'));
      return;
    }
    this.phase = 'sent';
    this.#parser = createHttp1ResponseParser(this.pool.transport.parserOptions(this.method));
    connection.socket.write(this.bytes);
  }

  onData(chunk: Uint8Array): void {
    if (this.phase !== 'sent') return;
    this.#receivedAny = true;
    let response;
    try {
      response = this.#parser!.push(chunk);
    } catch (error) {
      this.failOnConnection(parseFailure(error));
      return;
    }
    if (response === undefined) return;
    const reusable = this.#parser!.reusable();
    this.settle();
    this.connection!.finish(reusable, response.headers['keep-alive']);
    this.connection = undefined;
    this.resolve({ status: response.status, headers: response.headers, body: decodeUtf8(response.body) });
  }

  onEnd(): void {
    if (this.phase === 'connecting') {
      this.failOnConnection(new TransportError('connect_failed', 'not_sent', 'the connection closed before the request was written'));
      return;
    }
    if (this.phase !== 'sent') return;
    let response;
    try {
      response = this.#parser!.end();
    } catch (error) {
      this.failOnConnection(
        !this.#receivedAny && this.connection!.served > 0
          ? new TransportError('reset', 'maybe_sent', 'the server closed the kept-alive connection as the request went out, before any answer: it may have arrived')
          : parseFailure(error),
      );
      return;
    }
    this.settle();
    this.connection!.finish(false, undefined);
    this.connection = undefined;
    this.resolve({ status: response.status, headers: response.headers, body: decodeUtf8(response.body) });
  }

  onError(error: Error): void {
    if (this.phase === 'settled') return;
    this.failOnConnection(networkError(error, this.phase === 'sent'));
  }

  onClose(): void {
    if (this.phase === 'settled') return;
    this.failOnConnection(
      this.phase === 'sent'
        ? new TransportError('reset', 'maybe_sent', 'the connection closed before the answer was complete')
        : new TransportError('connect_failed', 'not_sent', 'the connection closed before the request was written'),
    );
  }

  /** Cancelled by the signal: nothing written is `not_sent`; once written, the connection is closed (the server sees it) and it is `maybe_sent`. */
  abort(): void {
    if (this.phase === 'settled') return;
    if (this.phase === 'waiting') {
      this.pool.dequeue(this);
      this.fail(abortedError(this.signal, 'not_sent'));
      return;
    }
    this.failOnConnection(abortedError(this.signal, this.phase === 'sent' ? 'maybe_sent' : 'not_sent'));
  }

  /** Fails the request and closes its connection, whose state is no longer known. */
  failOnConnection(error: TransportError): void {
    const connection = this.connection;
    this.connection = undefined;
    this.fail(error);
    connection?.destroy();
  }

  fail(error: unknown): void {
    if (this.phase === 'settled') return;
    this.settle();
    this.reject(error);
  }

  settle(): void {
    this.phase = 'settled';
    this.signal.removeEventListener('abort', this.#onAbort);
  }
}

// A server sends the same Keep-Alive header on every answer: read once.
let lastKeepAlive: { header: string; ms: number | undefined } | undefined;

/** How long the server's `Keep-Alive: timeout=N` lets an idle connection live, less a second (its clock started when it sent the answer). */
function serverIdleMs(header: string): number | undefined {
  if (lastKeepAlive?.header !== header) {
    const hint = KEEP_ALIVE_TIMEOUT.exec(header);
    lastKeepAlive = { header, ms: hint ? Number(hint[1]) * 1000 - 1000 : undefined };
  }
  return lastKeepAlive.ms;
}

function parseFailure(error: unknown): TransportError {
  if (error instanceof Http1ParseError) {
    return error.kind === 'truncated'
      ? new TransportError('reset', 'maybe_sent', error.message)
      : new TransportError('network', 'maybe_sent', `the server's answer is not valid HTTP/1.1: ${error.message}`);
  }
  return new TransportError('network', 'maybe_sent', 'a network error occurred', { cause: error });
}

// Keeps a leading byte-order mark, as Buffer's toString does: the body is given as it came.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeUtf8(body: Uint8Array): string {
  return utf8.decode(body);
}

interface KeepAliveTransportState {
  readonly maxSockets: number;
  readonly idleTimeoutMs: number;
  /** Where every connection of the transport reads into: each read is parsed (and what is kept, copied) before the next. */
  readonly readBuffer: Uint8Array;
  /** The parser's options for an answer to this method (made once per method). */
  parserOptions(method: string): Http1ParserOptions;
  readonly tlsOptions: Tls.ConnectionOptions | undefined;
  /** Set by close(): connections are closed once their request settles, and nothing new is sent. */
  closing: boolean;
  closedOne(): void;
}

/**
 * HTTP/1.1 over node:net (node:tls for https) with connections kept alive between requests: a
 * pool per origin, one request per connection at a time (never pipelined: a mutation never waits
 * behind another on one wire), the socket transport's codec. It sends what `fetch` refuses, a GET
 * with a body (v2 `get`, and with it the read-back of ambiguous mutations), and costs a fraction of
 * node:http's client per request (no agent, no IncomingMessage stream, no header objects built twice).
 *
 * `delivery` is what the socket knows: a request is written only once its connection is open and
 * seen alive, so until then every failure (refused, DNS, TLS, cancelled while waiting for a
 * connection or while connecting) is `not_sent`; from the write on, every failure is `maybe_sent`,
 * the stale keep-alive race included (the server closed an idle connection just as the request
 * was written): such a request is never sent again on another connection. A connection seen closed
 * before the write is replaced silently: provably nothing of the request went out on it.
 */
export function createKeepAliveTransport(options: KeepAliveTransportOptions = {}): KeepAliveTransport {
  const pools = new Map<string, OriginPool>();
  const closeWaiters: (() => void)[] = [];
  const parserOptions = new Map<string, Http1ParserOptions>();
  const state: KeepAliveTransportState = {
    maxSockets: positiveInteger(options.maxSockets, DEFAULT_MAX_SOCKETS, 'maxSockets'),
    idleTimeoutMs: positiveInteger(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs'),
    parserOptions(method) {
      let forMethod = parserOptions.get(method);
      if (forMethod === undefined) {
        forMethod = {
          ...(options.maxHeadBytes !== undefined ? { maxHeadBytes: options.maxHeadBytes } : {}),
          ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
          requestMethod: method,
        };
        parserOptions.set(method, forMethod);
      }
      return forMethod;
    },
    tlsOptions: options.tls,
    readBuffer: new Uint8Array(64 * 1024),
    closing: false,
    closedOne() {
      if (!this.closing) return;
      for (const pool of pools.values()) if (pool.all.size > 0) return;
      for (const resolve of closeWaiters.splice(0)) resolve();
    },
  };
  let lastPool: { url: URL; pool: OriginPool } | undefined;
  const requestUrl = createRequestUrl('keep-alive', () => {
    if (state.closing) throw new TransportError('network', 'not_sent', 'the keep-alive transport was closed; nothing was sent');
  });

  return {
    name: 'keep-alive',
    // Every path out of send removes its abort listener (Exchange.settle).
    capabilities: { getWithBody: true, releasesSignal: true },
    send(request: PlainRequest, signal: AbortSignal): Promise<TransportResponse> {
      return new Promise<TransportResponse>((resolve, reject) => {
        // A refusal thrown here rejects the promise: nothing has been opened or sent.
        const url = requestUrl(request, signal);
        let bytes: Uint8Array;
        try {
          // Head and body in one buffer, for one write, each written by Buffer natively (ISO-8859-1
          // and UTF-8): no encoded copy of the body in between.
          const body = request.body;
          const bodyBytes = body === undefined ? undefined : Buffer.byteLength(body, 'utf8');
          const head = http1RequestHead(request, url, bodyBytes, KEEP_ALIVE);
          const buffer = Buffer.allocUnsafe(head.length + (bodyBytes ?? 0));
          buffer.write(head, 0, 'latin1');
          if (body !== undefined) buffer.write(body, head.length, 'utf8');
          bytes = buffer;
        } catch (error) {
          // Only our own messages are kept: anything else might quote the request. (The URL was
          // parsed and checked by requestUrl above; what is left to fail is writing the request.)
          const message = error instanceof RequestEncodeError ? error.message : 'the request could not be written as HTTP/1.1; nothing was sent';
          reject(new TransportError('network', 'not_sent', message));
          return;
        }
        // The URL object is the same while the request URL is (createRequestUrl keeps the last).
        let pool = lastPool?.url === url ? lastPool.pool : pools.get(`${url.protocol}//${url.host}`);
        if (pool === undefined) {
          const secure = url.protocol === 'https:';
          pool = new OriginPool(state, {
            // URL keeps IPv6 literals in brackets; connect() wants the bare address.
            host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
            secure,
          });
          pools.set(`${url.protocol}//${url.host}`, pool);
        }
        if (lastPool?.url !== url) lastPool = { url, pool };
        const exchange = new Exchange(pool, bytes, request.method, signal, resolve, reject);
        try {
          pool.dispatch(exchange);
        } catch (error) {
          // net/tls refused the connection's options before any socket existed: nothing was written.
          exchange.failOnConnection(new TransportError('connect_failed', 'not_sent', 'could not open a socket to the host', { cause: error }));
        }
      });
    },
    close(): Promise<void> {
      state.closing = true;
      const done = new Promise<void>((resolve) => closeWaiters.push(resolve));
      for (const pool of pools.values()) {
        for (const waiting of pool.waiting.splice(0)) waiting.fail(new TransportError('network', 'not_sent', 'the keep-alive transport was closed before a connection was free; nothing was sent'));
        for (const connection of pool.idle.splice(0)) connection.destroy();
      }
      state.closedOne();
      return done;
    },
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`createKeepAliveTransport: ${name} must be a whole number, 1 or more (got ${value})`);
  return value;
}
