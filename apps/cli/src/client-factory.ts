import type { RequestPacer } from '@cloudagent-phone/bulk';
import type { ApiKeyCredentials } from '@cloudagent-phone/core';
import type { PhoneClient } from '@cloudagent-phone/transport';
import type { Output } from './output.js';
import { withRequestLog } from './request-log.js';
// Statically: every command that builds a client loads the transport anyway, and a dynamic
// import is a file of its own (two, with the chunk the bulk run shares) on every such start.
// The commands that never send (config, migrate scan) parse it for nothing: about 27 KB.
import { createClient, createKeepAliveTransport, createTokenManager, TransportError } from './transport-parts.js';
import type { Target } from './settings/resolve-target.js';

export interface ClientSetup {
  target: Target;
  credentials: ApiKeyCredentials;
  out: Output;
  timeoutMs: number;
  /** oclif's cache directory: where a TOKEN_AUTH account's token is shared between runs. */
  cacheDir: string;
  /** Sockets kept open to CloudAgent (bulk runs send in parallel). Default 1. */
  sockets?: number;
  /** Requests per second across the whole client (retries and read-backs included). 0 or absent: no limit. */
  ratePerSecond?: number;
  /** A limiter shared with another client (a bulk run's read-back client), instead of `ratePerSecond`. */
  limiter?: RequestPacer;
}

/**
 * The client every command uses: the keep-alive transport (HTTP/1.1 over node:net, node:tls for
 * https: it sends v2's GET-with-body, and costs a fraction of node:http per request, which a bulk
 * run feels), the request log, and the client's own lines routed through Output.
 * `--help` and `--version` never load it: bin/run.js and the router answer them first.
 */
export async function createCliClient(setup: ClientSetup): Promise<PhoneClient> {
  // The bulk package (its pacer) only when something is paced, a bulk run: one command loads none of it.
  const limiter = setup.limiter ?? (setup.ratePerSecond ? new (await import('@cloudagent-phone/bulk')).RequestPacer(setup.ratePerSecond) : undefined);
  if (setup.target.edge) {
    const { createEdgePhoneClient } = await import('./edge-phone-client.js');
    return createEdgePhoneClient({
      edge: setup.target.edge,
      userName: setup.credentials.userName,
      out: setup.out,
      timeoutMs: setup.timeoutMs,
      ...(limiter ? { limiter } : {}),
    });
  }
  const { target, credentials, out } = setup;
  // node:tls (and crypto with it) is loaded by the transport only when an https origin is opened:
  // a sandbox on http skips it. Idle connections never keep the process alive.
  const logged = withRequestLog(createKeepAliveTransport({ maxSockets: setup.sockets ?? 1 }), out);
  const transport = limiter
    ? (await import('@cloudagent-phone/bulk')).withRateLimit(logged, limiter, () => new TransportError('aborted', 'not_sent', 'cancelled while waiting for the rate limit, before sending'))
    : logged;
  const line = (message: string, fields?: Record<string, unknown>) =>
    fields && Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
  // Debug and info lines only under --verbose: the client redacts every line it hands over, which
  // is worth paying for only when someone reads them (a bulk run makes hundreds of calls a second).
  const detail = (message: string, fields?: Record<string, unknown>) => out.detail(`* ${line(message, fields)}`);
  const logger = {
    ...(out.verbose ? { debug: detail, info: detail } : {}),
    warn: (message: string, fields?: Record<string, unknown>) => {
      // Output already printed the v1 deprecation warning, once, in its own words.
      if (!/deprecat/i.test(message)) out.warn(line(message, fields));
    },
    error: (message: string, fields?: Record<string, unknown>) => out.warn(line(message, fields)),
  };
  // The file store (and node:crypto, for its file name) only for token accounts.
  const tokenFiles = target.auth === 'token' ? await import('./file-token-store.js') : undefined;
  const tokenProvider =
    tokenFiles
      ? createTokenManager({
          userName: credentials.userName,
          apiKey: credentials.apiKey,
          baseUrl: target.baseUrl,
          transport,
          timeoutMs: setup.timeoutMs,
          store: tokenFiles.createFileTokenStore(tokenFiles.tokenStorePath(setup.cacheDir, target.baseUrl, credentials.userName, credentials.apiKey)),
          logger,
        })
      : undefined;
  return createClient({
    userName: credentials.userName,
    apiKey: credentials.apiKey,
    auth: target.auth,
    ...(tokenProvider ? { tokenProvider } : {}),
    baseUrl: target.baseUrl,
    apiVersion: target.apiVersion,
    transport,
    timeoutMs: setup.timeoutMs,
    logger,
  });
}
