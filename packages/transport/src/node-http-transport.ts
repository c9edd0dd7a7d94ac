import * as http from 'node:http';
import type * as Https from 'node:https';
import type { PlainRequest } from '@cloudagent-phone/core';
import type { Transport, TransportResponse } from './transport.js';
import { TransportError, abortedError, createRequestUrl, networkError } from './transport-error.js';

export interface NodeHttpTransportOptions {
  /**
   * The agent for every request (keep-alive, proxies, TLS settings). Default: Node's global agent
   * for the URL's protocol. Pass an `https.Agent` for https URLs.
   */
  agent?: http.Agent;
}

// node:https brings tls and crypto with it (about 10 ms at start-up, more than the rest of a CLI
// command's request): taken from Node the first time an https URL is sent, not at import.
let httpsModule: typeof Https | undefined;
const https = (): typeof Https => (httpsModule ??= process.getBuiltinModule('node:https'));

/**
 * node:http / node:https. The only built-in transport that can send a GET with a body, which v2
 * `get` (and so the read-back of an ambiguous mutation) needs. It also knows whether the socket
 * connected, so its `delivery` is exact: a failure before connecting is `not_sent`.
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport {
  // node:http only reads the URL it is given, so the one parse kept serves a run's requests.
  const requestUrl = createRequestUrl('node-http');
  return {
    name: 'node-http',
    // Every path out of send removes its abort listener (finish).
    capabilities: { getWithBody: true, releasesSignal: true },
    send(request: PlainRequest, signal: AbortSignal): Promise<TransportResponse> {
      return new Promise<TransportResponse>((resolve, reject) => {
        // A refusal thrown here rejects the promise: nothing has been opened or sent.
        const url = requestUrl(request, signal);
        const secure = url.protocol === 'https:';
        const headers: Record<string, string | number> = { ...request.headers };
        if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);

        let connected = false;
        let settled = false;
        const finish = (action: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', onAbort);
          action();
        };

        const req = (secure ? https() : http).request(url, {
          method: request.method,
          headers,
          ...(options.agent ? { agent: options.agent } : {}),
        });

        // Destroying the request closes the socket: the server sees the cancellation.
        const onAbort = () => {
          finish(() => reject(abortedError(signal, connected ? 'maybe_sent' : 'not_sent')));
          req.destroy();
        };
        signal.addEventListener('abort', onAbort, { once: true });

        req.on('socket', (socket) => {
          // A reused keep-alive socket is already connected. For https, nothing of the request can
          // leave before the TLS handshake completes.
          const ready = secure ? 'secureConnect' : 'connect';
          if (!socket.connecting && (!secure || (socket as { encrypted?: boolean }).encrypted)) connected = true;
          else socket.once(ready, () => (connected = true));
        });

        req.on('error', (error) => {
          finish(() => reject(signal.aborted ? abortedError(signal, connected ? 'maybe_sent' : 'not_sent', error) : networkError(error, connected)));
        });

        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('close', () => {
            if (!res.complete) finish(() => reject(new TransportError('reset', 'maybe_sent', 'the connection dropped while reading the response')));
          });
          res.on('error', (error) => {
            finish(() => reject(signal.aborted ? abortedError(signal, 'maybe_sent', error) : new TransportError('reset', 'maybe_sent', 'the connection dropped while reading the response', { cause: error })));
          });
          res.on('end', () => {
            // From the raw pairs: Node builds `res.headers` lazily, and building it cost a tenth of
            // a bulk row. Lower-case names, repeats joined with ", " (what the socket transport does).
            const raw = res.rawHeaders;
            const out: Record<string, string> = Object.create(null);
            for (let i = 0; i + 1 < raw.length; i += 2) {
              const name = (raw[i] as string).toLowerCase();
              const value = raw[i + 1] as string;
              out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
            }
            finish(() => resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') }));
          });
        });

        req.end(request.body);
      });
    },
  };
}
