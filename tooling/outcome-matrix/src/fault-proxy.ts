import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyFault } from './fault-cases.js';

export type { ProxyFault } from './fault-cases.js';

export const UNFAMILIAR_REFUSAL = 'Request declined: the number is locked by an administrator';

const HTML_404 = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export interface FaultProxy {
  url: string;
  /** The fault for the next mutation (any action but get) that passes; one request only. */
  next(fault: ProxyFault | undefined): void;
  /** Faults injected so far. */
  injected(): number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The action of a v1 (query string) or v2 (JSON body) PhoneManageV2 request. */
function actionOf(url: string, body: string): string | undefined {
  const query = new URL(url, 'http://proxy.invalid').searchParams.get('action');
  if (query) return query;
  try {
    const parsed = JSON.parse(body) as { action?: unknown };
    return typeof parsed.action === 'string' ? parsed.action : undefined;
  } catch {
    return undefined;
  }
}

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A fault-injecting reverse proxy on loopback in front of `target` (the simulator). Also driven over
 * HTTP: `PUT /__proxy/next` with `{"fault": "<ProxyFault>" | null}`, `GET /__proxy/injected`.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let planned: ProxyFault | undefined;
  let injected = 0;

  const pass = (method: string, path: string, headers: IncomingHttpHeaders, body: string) =>
    new Promise<Upstream>((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers: { ...forwardHeaders(headers), 'content-length': String(Buffer.byteLength(body)) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: forwardHeaders(res.headers), body: text }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server: Server = createServer((req, res) => {
    // The proxy's own control, for a test that cannot hold this object (the runs inside workerd):
    // never forwarded, never a fault.
    if ((req.url ?? '').startsWith('/__proxy/')) return control(req, res);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', async () => {
      const action = actionOf(req.url ?? '/', body);
      const fault = action !== undefined && action !== 'get' ? planned : undefined;
      if (fault) {
        planned = undefined;
        injected += 1;
      }
      const send = (status: number, headers: Record<string, string>, text: string) => {
        res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
      };
      if (fault === 'html404-before') return send(404, { 'content-type': 'text/html' }, HTML_404);
      if (fault === 'refusal') return send(200, { 'content-type': 'application/json' }, JSON.stringify({ status: 'error', message: UNFAMILIAR_REFUSAL }));
      let answer: Upstream;
      try {
        answer = await pass(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      } catch {
        // The simulator dropped the connection: so does the proxy.
        req.socket.destroy();
        return;
      }
      if (fault === 'html404-after') return send(404, { 'content-type': 'text/html' }, HTML_404);
      if (fault === 'truncated-after') return send(answer.status, answer.headers, answer.body.slice(0, Math.floor(answer.body.length / 2)));
      send(answer.status, answer.headers, answer.body);
    });
  });
  function control(req: IncomingMessage, res: ServerResponse) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const answer = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/__proxy/injected') return answer(200, { injected });
      if (req.url === '/__proxy/next' && req.method === 'PUT') {
        const { fault } = JSON.parse(body || '{}') as { fault?: ProxyFault | null };
        planned = fault ?? undefined;
        return answer(200, { planned: planned ?? null });
      }
      answer(404, { error: `no proxy control route ${req.method} ${req.url}` });
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    next: (fault) => {
      planned = fault;
    },
    injected: () => injected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
