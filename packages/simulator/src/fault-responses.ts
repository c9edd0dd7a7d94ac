import type { Context } from 'hono';
import type { SimulatorEnv } from './bindings.js';
import type { CallRecord } from './calls.js';
import type { Fault } from './faults.js';

// The answers faults give instead of (or after) the real one: closed sockets, cut bodies, error pages.

/** Marks a response that stands for a dropped connection in runtimes without a socket (see `fetch` in index.ts). */
export const DROP_HEADER = 'x-simulator-dropped';
/** Tells @hono/node-server the answer was already handled on the socket, so it writes nothing more. */
const ALREADY_SENT = { 'x-hono-already-sent': '1', [DROP_HEADER]: '1' };

/**
 * An empty answer @hono/node-server must not write. Its lightweight Response takes a fast path that
 * ignores `x-hono-already-sent`; reading `.body` turns it into a plain Response, which honours it.
 */
function alreadySent(status: number): Response {
  const response = new Response(null, { status, headers: ALREADY_SENT });
  void response.body;
  return response;
}

const REASONS: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/** The page nginx puts in front of an upstream that failed: what a client meets instead of JSON. */
const htmlError = (status: number) => {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or less if `signal` aborts first; resolves true when it did. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) return sleep(ms).then(() => false);
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function drop(c: Context<SimulatorEnv>, call: CallRecord): Response {
  call.dropped = true;
  const socket = c.env?.incoming?.socket;
  // Under Node the socket is closed with nothing written: the client sees a reset. Elsewhere the
  // marked response makes the simulator's `fetch` reject, as a real fetch does on a reset.
  if (socket) {
    socket.destroy();
    return alreadySent(502);
  }
  return new Response(null, { status: 502, headers: { [DROP_HEADER]: '1' } });
}

export function cutBody(c: Context<SimulatorEnv>, call: CallRecord, full: string, half: string): Response {
  call.httpStatus = 200;
  call.dropped = true;
  const outgoing = c.env?.outgoing;
  const socket = c.env?.incoming?.socket;
  if (outgoing && socket) {
    const length = String(new TextEncoder().encode(full).length);
    outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': length, 'x-request-id': `sim-${call.id}` });
    // Reset only once the half body has been handed to the OS, so the client does receive it.
    outgoing.write(half, () => socket.destroy());
    return alreadySent(200);
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(half));
      controller.error(Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('simulated connection reset mid-body'), { code: 'ECONNRESET' }) }));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': `sim-${call.id}` } });
}

export function failure(call: CallRecord, fault: Fault): Response {
  if (fault.kind === 'html-error') {
    const status = fault.status ?? 502;
    call.httpStatus = status;
    return new Response(htmlError(status), { status, headers: { 'content-type': 'text/html' } });
  }
  const status = fault.status ?? 500;
  call.httpStatus = status;
  return fault.format === 'text'
    ? new Response('Internal Server Error', { status, headers: { 'content-type': 'text/plain' } })
    : new Response(JSON.stringify({ status: 'error', message: 'Internal Server Error' }), { status, headers: { 'content-type': 'application/json' } });
}
