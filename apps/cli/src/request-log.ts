import { V2_TOKEN_PATH, type PlainRequest } from '@cloudagent-phone/core';
import type { Transport, TransportResponse } from '@cloudagent-phone/transport';
import type { Output } from './output.js';

const BEARER = /^bearer\s+(.+)$/i;
const TOKEN_FIELD = /"token"\s*:\s*"([^"]+)"/;

/** A request as shown to the person: CloudAgent's (GET/POST), or an edge's (PATCH and DELETE too). */
export type ShownRequest = Omit<PlainRequest, 'method'> & { method: string };

/** Headers one per line, the way curl -v shows them; secrets are removed by Output.redact. */
export function formatRequest(request: ShownRequest): string {
  const lines = [`> ${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`> ${name}: ${value}`);
  if (request.body !== undefined) lines.push('>', `> ${request.body}`);
  return lines.join('\n');
}

export function formatResponse(response: TransportResponse, ms: number): string {
  const lines = [`< ${response.status} (${ms.toFixed(0)} ms)`];
  for (const [name, value] of Object.entries(response.headers)) lines.push(`< ${name}: ${value}`);
  lines.push('<', `< ${response.body}`);
  return lines.join('\n');
}

/**
 * Wraps the transport the client uses. Every bearer token going out and every token coming back
 * from CAToken is added to the run's known secrets before anything is printed, so redaction does
 * not depend on recognising a token's shape. Under --verbose the exchange goes to stderr.
 */
export function withRequestLog(inner: Transport, out: Output): Transport {
  // The credential headers of the request before: a run sends the same key (or token) on every
  // request, and it needs adding to the secrets only once.
  let lastKey: string | undefined;
  let lastAuthorization: string | undefined;
  const keepToken = (response: TransportResponse): TransportResponse => {
    const token = TOKEN_FIELD.exec(response.body)?.[1];
    if (token) out.addSecret(token);
    return response;
  };
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    send(request, signal) {
      const { headers } = request;
      for (const name in headers) {
        const value = headers[name];
        if (!Object.hasOwn(headers, name) || value === undefined || value === lastKey || value === lastAuthorization) continue;
        const lower = name.toLowerCase();
        if (lower === 'authorization') {
          out.addSecret(BEARER.exec(value)?.[1] ?? value);
          lastAuthorization = value;
        } else if (lower === 'apikey') {
          out.addSecret(value);
          lastKey = value;
        }
      }
      const tokenRequest = request.url.includes(V2_TOKEN_PATH);
      if (out.verbose) return logged(request, signal, tokenRequest);
      // Nothing to show: the answer goes straight back (only CAToken's carries a token to keep),
      // without a wrapper a bulk run would pay on every row.
      const answer = inner.send(request, signal);
      return tokenRequest ? answer.then(keepToken) : answer;
    },
  };

  async function logged(request: Parameters<Transport['send']>[0], signal: AbortSignal, tokenRequest: boolean): Promise<TransportResponse> {
    out.detail(formatRequest(request));
    const started = performance.now();
    try {
      const response = await inner.send(request, signal);
      if (tokenRequest) keepToken(response);
      out.detail(formatResponse(response, performance.now() - started));
      return response;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      out.detail(`< no response: ${code} (${(performance.now() - started).toFixed(0)} ms): ${(error as Error).message}`);
      throw error;
    }
  }
}
