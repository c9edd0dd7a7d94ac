import type { PlainRequest } from '@cloudagent-phone/core';
import type { Transport, TransportResponse } from '../src/transport.js';
import { TransportError } from '../src/transport-error.js';

export type Reply = TransportResponse | TransportError | ((request: PlainRequest, signal: AbortSignal) => Promise<TransportResponse> | TransportResponse);

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): TransportResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
export const vendor = (status: string, message: string, http = 200, headers: Record<string, string> = {}) => json({ status, message }, http, headers);
export const SUCCESS = vendor('success', 'record inserted successfully');
export const CONFLICT = vendor('error', 'phone_name or phone_number already exist');
export const record = (phoneNumber: string, phoneName: string) => json({ phoneNumber, phoneName });
export const NOT_FOUND = vendor('error', 'phoneNumber not found');
export const HTML_502: TransportResponse = { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><h1>502 Bad Gateway</h1></html>' };
export const GARBLED: TransportResponse = { status: 200, headers: {}, body: '{"status":"succ' };
export const TIMEOUT = () => new TransportError('timeout', 'maybe_sent', 'no answer before the timeout');
export const RESET = () => new TransportError('reset', 'maybe_sent', 'the connection was reset');
export const REFUSED = () => new TransportError('connect_failed', 'not_sent', 'connection refused');

/** A request as the fake saw it, with the body parsed when it is JSON. */
export interface Seen {
  request: PlainRequest;
  body: Record<string, string> | undefined;
  action: string | undefined;
}

/**
 * A scripted transport: `route(request)` picks the reply (a response, an error to throw, or a
 * function). Records every request; `sent(action)` counts them by action.
 */
export function fakeTransport(route: (seen: Seen, index: number) => Reply, getWithBody = true) {
  const seen: Seen[] = [];
  const transport: Transport = {
    name: 'fake',
    capabilities: { getWithBody },
    async send(request, signal) {
      let body: Record<string, string> | undefined;
      try {
        body = request.body ? JSON.parse(request.body) : undefined;
      } catch {
        body = undefined;
      }
      const action = body?.action ?? new URL(request.url).searchParams.get('action') ?? (request.url.includes('generateToken') ? 'token' : undefined);
      const s: Seen = { request, body, action };
      seen.push(s);
      const reply = route(s, seen.length - 1);
      if (reply instanceof TransportError) throw reply;
      if (typeof reply === 'function') return reply(request, signal);
      return reply;
    },
  };
  return { transport, seen, sent: (action: string) => seen.filter((s) => s.action === action).length };
}

/** A script: replies in order, per action; the last one repeats. */
export function script(byAction: Record<string, Reply[]>) {
  const used: Record<string, number> = {};
  return (seen: Seen): Reply => {
    const key = seen.action ?? '?';
    const list = byAction[key];
    if (!list || list.length === 0) throw new Error(`no scripted reply for ${key}`);
    const i = used[key] ?? 0;
    used[key] = i + 1;
    return list[Math.min(i, list.length - 1)]!;
  };
}
