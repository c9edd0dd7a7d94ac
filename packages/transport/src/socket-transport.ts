import type { Delivery, PlainRequest } from '@cloudagent-phone/core';
import { encodeHttp1Request, RequestEncodeError } from './http1-request.js';
import { createHttp1ResponseParser, Http1ParseError, type Http1Limits } from './http1-response.js';
import type { Transport, TransportResponse } from './transport.js';
import { TransportError, abortedError, createRequestUrl } from './transport-error.js';

/**
 * The part of a `cloudflare:sockets` Socket this transport uses, as a structural type, so the
 * transport is runtime-neutral and can be driven by any implementation in tests.
 */
export interface SocketLike {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves once the connection is established; rejects if it could not be. */
  readonly opened: Promise<unknown>;
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface SocketConnectOptions {
  secureTransport: 'on' | 'off';
  allowHalfOpen: boolean;
}

/** `connect` from `cloudflare:sockets`, or anything shaped like it. */
export type SocketConnect = (address: { hostname: string; port: number }, options: SocketConnectOptions) => SocketLike;

export interface SocketTransportOptions extends Http1Limits {
  /** Opens the connection. The `./workers` entry passes `connect` from `cloudflare:sockets`. */
  connect: SocketConnect;
}

const utf8 = new TextDecoder('utf-8');

/**
 * HTTP/1.1 over a raw socket: one request per connection (`Connection: close`), so it can send
 * what `fetch` refuses, a GET with a body (v2 `get`, and with it the read-back of ambiguous
 * mutations). `delivery` follows what the socket knows: nothing is written before the connection
 * is open, so a failure to open (or an abort before it opened) is `not_sent`; from the first write
 * on, every failure is `maybe_sent`.
 */
export function createSocketTransport(options: SocketTransportOptions): Transport {
  const { connect } = options;
  const requestUrl = createRequestUrl('socket');
  return {
    name: 'socket',
    capabilities: { getWithBody: true },
    send(request: PlainRequest, signal: AbortSignal): Promise<TransportResponse> {
      return new Promise<TransportResponse>((resolve, reject) => {
        // A refusal thrown here rejects the promise: nothing has been opened or sent.
        const url = requestUrl(request, signal);
        let bytes: Uint8Array;
        try {
          bytes = encodeHttp1Request(request, url);
        } catch (error) {
          // Only our own messages are kept: anything else might quote the request.
          throw new TransportError('network', 'not_sent', error instanceof RequestEncodeError ? error.message : 'the request URL is not a valid absolute URL');
        }
        const secure = url.protocol === 'https:';
        const address = {
          // URL keeps IPv6 literals in brackets; connect() wants the bare address.
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
        };

        // not_sent until the first write begins: from then on, whatever fails may have been sent.
        let delivery: Delivery = 'not_sent';
        let settled = false;
        let socket: SocketLike | undefined;
        const finish = (action: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          socket?.close().catch(() => undefined);
          action();
        };
        // Closing the socket is what cancels: the server sees the connection end.
        const onAbort = () => finish(() => reject(abortedError(signal, delivery)));
        signal.addEventListener('abort', onAbort, { once: true });

        try {
          socket = connect(address, { secureTransport: secure ? 'on' : 'off', allowHalfOpen: false });
        } catch (error) {
          finish(() => reject(new TransportError('connect_failed', 'not_sent', 'could not open a socket to the host', { cause: error })));
          return;
        }
        // Its rejection is reported through opened/read/write below; this one would go unhandled.
        socket.closed.catch(() => undefined);

        const exchange = async (open: SocketLike): Promise<TransportResponse> => {
          try {
            await open.opened;
          } catch (error) {
            throw new TransportError('connect_failed', 'not_sent', secure ? 'could not connect (TCP or TLS) to the host' : 'could not connect to the host', { cause: error });
          }
          if (settled) throw abortedError(signal, 'not_sent');
          delivery = 'maybe_sent';
          const writer = open.writable.getWriter();
          try {
            await writer.write(bytes);
          } catch (error) {
            throw new TransportError('reset', 'maybe_sent', 'the connection was closed while sending the request', { cause: error });
          } finally {
            writer.releaseLock();
          }
          // The options carry the limits (the parser reads nothing else of them).
          const parser = createHttp1ResponseParser(options);
          const reader = open.readable.getReader();
          try {
            for (;;) {
              const chunk = await reader.read().catch((error: unknown) => {
                throw new TransportError('reset', 'maybe_sent', 'the connection dropped while reading the response', { cause: error });
              });
              const response = chunk.done ? parser.end() : parser.push(chunk.value);
              if (response) return { status: response.status, headers: response.headers, body: utf8.decode(response.body) };
            }
          } catch (error) {
            if (error instanceof Http1ParseError) {
              throw error.kind === 'truncated'
                ? new TransportError('reset', 'maybe_sent', error.message)
                : new TransportError('network', 'maybe_sent', `the server's answer is not valid HTTP/1.1: ${error.message}`);
            }
            throw error;
          } finally {
            reader.releaseLock();
          }
        };

        exchange(socket).then(
          (response) => finish(() => resolve(response)),
          (error: unknown) =>
            finish(() =>
              reject(
                signal.aborted
                  ? abortedError(signal, delivery, error)
                  : error instanceof TransportError
                    ? error
                    : new TransportError('network', delivery, 'a network error occurred', { cause: error }),
              ),
            ),
        );
      });
    },
  };
}
