import { describe, expect, it } from 'vitest';
import { createSocketTransport, type SocketConnect, type SocketConnectOptions, type SocketLike } from '../src/socket-transport.js';

const CANARY = 'CANARY-KEY-socket-5d1e';
const bytes = (s: string) => new TextEncoder().encode(s);

/** A socket whose every step the test decides: when it opens, what the write does, what it answers. */
function scriptedSocket(script: { open?: 'now' | 'never' | Error; write?: 'ok' | Error; answer?: string[]; endAfterAnswer?: boolean } = {}) {
  const written: string[] = [];
  let closes = 0;
  let readController!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({
    start: (c) => {
      readController = c;
    },
  });
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      if (script.write instanceof Error) throw script.write;
      written.push(new TextDecoder().decode(chunk));
      for (const piece of script.answer ?? []) readController.enqueue(bytes(piece));
      if (script.endAfterAnswer) readController.close();
    },
  });
  const open = script.open ?? 'now';
  const opened = open === 'now' ? Promise.resolve({}) : open === 'never' ? new Promise(() => undefined) : Promise.reject(open);
  opened.catch(() => undefined);
  const socket: SocketLike = {
    readable,
    writable,
    opened,
    closed: new Promise<void>(() => undefined),
    close: async () => {
      closes++;
      try {
        readController.close();
      } catch {
        // already closed
      }
    },
  };
  return { socket, written, closes: () => closes };
}

function recordingConnect(socket: SocketLike) {
  const calls: { address: { hostname: string; port: number }; options: SocketConnectOptions }[] = [];
  const connect: SocketConnect = (address, options) => {
    calls.push({ address, options });
    return socket;
  };
  return { connect, calls };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{"status":"success"}';

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; delivery?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('socket transport: how it opens the connection', () => {
  it.each([
    ['https://in1-ccaas-api.ozonetel.com/ca_apis/PhoneManageV2', { hostname: 'in1-ccaas-api.ozonetel.com', port: 443 }, 'on'],
    ['https://cloudagent.example:8443/x', { hostname: 'cloudagent.example', port: 8443 }, 'on'],
    ['http://127.0.0.1/x', { hostname: '127.0.0.1', port: 80 }, 'off'],
    ['http://[::1]:9000/x', { hostname: '::1', port: 9000 }, 'off'],
  ])('%s: connect(%o) with secureTransport %s, never half-open', async (url, address, secureTransport) => {
    const { socket, written } = scriptedSocket({ answer: [OK] });
    const { connect, calls } = recordingConnect(socket);
    const response = await createSocketTransport({ connect }).send({ method: 'GET', url, headers: {}, body: '{"action":"get"}' }, AbortSignal.timeout(5000));
    expect(calls).toEqual([{ address, options: { secureTransport, allowHalfOpen: false } }]);
    expect(response).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'content-length': '20' }, body: '{"status":"success"}' });
    expect(written.join('')).toMatch(/^GET \/x|^GET \/ca_apis\/PhoneManageV2 HTTP\/1\.1\r\nHost: /);
    expect(written.join('')).toContain('\r\nConnection: close\r\n');
  });

  it('closes the socket itself once the answer is complete (the server may keep it open)', async () => {
    const scripted = scriptedSocket({ answer: [OK.slice(0, 30), OK.slice(30)], endAfterAnswer: false });
    await createSocketTransport(recordingConnect(scripted.socket)).send({ method: 'POST', url: 'http://h/', headers: {}, body: '{}' }, AbortSignal.timeout(5000));
    expect(scripted.closes()).toBe(1);
  });
});

describe('socket transport: delivery is what the socket knows', () => {
  const post = { method: 'POST' as const, url: 'http://h/ca_apis/PhoneManageV2', headers: { apiKey: CANARY }, body: '{"action":"edit"}' };

  it('a connect() that throws is connect_failed, not_sent', async () => {
    const connect: SocketConnect = () => {
      throw new Error('bad address');
    };
    expect(await failure(createSocketTransport({ connect }).send(post, AbortSignal.timeout(5000)))).toMatchObject({ code: 'connect_failed', delivery: 'not_sent' });
  });

  it('a connection that fails to open is connect_failed, not_sent, and nothing was written', async () => {
    const scripted = scriptedSocket({ open: new Error('proxy request failed, cannot connect to the specified address') });
    expect(await failure(createSocketTransport(recordingConnect(scripted.socket)).send(post, AbortSignal.timeout(5000)))).toMatchObject({ code: 'connect_failed', delivery: 'not_sent' });
    expect(scripted.written).toEqual([]);
  });

  it('a timeout while connecting is not_sent, closes the socket, and never writes', async () => {
    const scripted = scriptedSocket({ open: 'never' });
    const error = await failure(createSocketTransport(recordingConnect(scripted.socket)).send(post, AbortSignal.timeout(50)));
    expect(error).toMatchObject({ name: 'TransportError', code: 'timeout', delivery: 'not_sent' });
    expect(scripted.closes()).toBe(1);
    expect(scripted.written).toEqual([]);
  });

  it('an abort after the request was written is maybe_sent and closes the socket', async () => {
    const scripted = scriptedSocket({ answer: ['HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"sta'] });
    const controller = new AbortController();
    const pending = failure(createSocketTransport(recordingConnect(scripted.socket)).send(post, controller.signal));
    await new Promise((r) => setTimeout(r, 20));
    expect(scripted.written).toHaveLength(1);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted', delivery: 'maybe_sent' });
    expect(scripted.closes()).toBe(1);
  });

  it('a write that fails is reset, maybe_sent (part of it may have left)', async () => {
    const scripted = scriptedSocket({ write: new Error('Network connection lost.') });
    expect(await failure(createSocketTransport(recordingConnect(scripted.socket)).send(post, AbortSignal.timeout(5000)))).toMatchObject({ code: 'reset', delivery: 'maybe_sent' });
  });

  it('an answer that is not HTTP/1.1 is network, maybe_sent, and says why', async () => {
    const scripted = scriptedSocket({ answer: ['SSH-2.0-OpenSSH_9.6\r\n\r\n'] });
    const error = await failure(createSocketTransport(recordingConnect(scripted.socket)).send(post, AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ code: 'network', delivery: 'maybe_sent' });
    expect(error.message).toContain('not valid HTTP/1.1');
  });

  it('a connection that ends before the answer is complete is reset, maybe_sent', async () => {
    const scripted = scriptedSocket({ answer: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'], endAfterAnswer: true });
    expect(await failure(createSocketTransport(recordingConnect(scripted.socket)).send(post, AbortSignal.timeout(5000)))).toMatchObject({ code: 'reset', delivery: 'maybe_sent' });
  });

  it.each([
    ['a URL that does not parse', `not a url?apiKey=${CANARY}`, 'not a valid absolute URL'],
    ['another scheme', `ftp://h/?apiKey=${CANARY}`, 'http: and https: URLs only'],
  ])('%s is refused before connecting, without quoting the URL', async (_what, url, message) => {
    const scripted = scriptedSocket();
    const { connect, calls } = recordingConnect(scripted.socket);
    const error = await failure(createSocketTransport({ connect }).send({ ...post, url }, AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ code: 'network', delivery: 'not_sent' });
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(CANARY);
    expect(calls).toEqual([]);
  });

  it('a header value with a line break is refused before connecting, without quoting it', async () => {
    const scripted = scriptedSocket();
    const { connect, calls } = recordingConnect(scripted.socket);
    const error = await failure(createSocketTransport({ connect }).send({ ...post, headers: { apiKey: `${CANARY}\r\nX-Evil: 1` } }, AbortSignal.timeout(5000)));
    expect(error).toMatchObject({ code: 'invalid_request', delivery: 'not_sent' });
    expect(error.message).not.toContain(CANARY);
    expect(calls).toEqual([]);
  });
});
