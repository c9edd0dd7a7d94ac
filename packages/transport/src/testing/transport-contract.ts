import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Transport, TransportCapabilities } from '../transport.js';
import { TransportError, UnsupportedRequestError } from '../transport-error.js';
import { contractServerAt, type ContractServer } from './contract-server.js';

// Runtime-neutral (vitest and fetch only): it runs on Node and inside workerd.

const CANARY = 'CANARY-KEY-contract-7f3a';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

/** A contract server the suite starts for itself, and closes after it. */
export interface StartedContractServer {
  url: string;
  close(): Promise<void>;
}

export interface TransportContract {
  /** Shown in the suite's title. */
  name: string;
  /** A fresh transport for each test. */
  transport: () => Transport;
  /** What the transport must declare; `getWithBody` also picks which GET-with-body case runs. */
  capabilities: TransportCapabilities;
  /**
   * The contract server (`startContractServer` from `@cloudagent-phone/transport/testing/node`):
   * its URL, when it runs already (started by a global setup, e.g. for a run inside workerd, where
   * no server can listen), or a function that starts one for this suite (`startContractServer`
   * itself, on Node). The suite drives it over HTTP either way.
   */
  server: string | (() => Promise<StartedContractServer>);
}

/**
 * The behaviour every Transport must have, whatever it is built on: every status is an answer,
 * redirects are not followed, the signal cancels the request on the wire, and each failure is a
 * TransportError whose `delivery` is honest. Run it against your own transport:
 *
 * ```ts
 * import { describeTransportContract } from '@cloudagent-phone/transport/testing';
 * import { startContractServer } from '@cloudagent-phone/transport/testing/node';
 *
 * describeTransportContract({ name: 'mine', transport: () => createMyTransport(), capabilities: { getWithBody: false }, server: startContractServer });
 * ```
 */
export function describeTransportContract(contract: TransportContract): void {
  const { name, capabilities: caps } = contract;
  describe(`transport contract: ${name}`, () => {
    let server: ContractServer;
    let started: StartedContractServer | undefined;
    let transport: Transport;
    beforeAll(async () => {
      if (typeof contract.server === 'string') server = contractServerAt(contract.server);
      else {
        started = await contract.server();
        server = contractServerAt(started.url);
      }
    });
    afterAll(async () => {
      await started?.close();
    });
    beforeEach(async () => {
      await server.reset();
      transport = contract.transport();
    });
    const signal = () => AbortSignal.timeout(5000);

    it('declares its name and capabilities', () => {
      expect(typeof transport.name).toBe('string');
      expect(transport.capabilities).toEqual(caps);
    });

    it('sends a POST with its headers and JSON body exactly', async () => {
      const body = JSON.stringify({ action: 'edit', userName: 'acme', phoneNumber: '+919876543210', phoneNameNew: 'Désk Ünïcode' });
      const res = await transport.send(
        { method: 'POST', url: `${server.url}/echo`, headers: { 'content-type': 'application/json', accept: 'application/json', apiKey: CANARY }, body },
        signal(),
      );
      expect(res.status).toBe(200);
      const got = (await server.received())[0]!;
      expect(got.method).toBe('POST');
      expect(got.body).toBe(body);
      expect(got.headers.apikey).toBe(CANARY);
      expect(got.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body).body).toBe(body);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('sends a GET with the query string untouched (%2B stays %2B)', async () => {
      const path = '/echo?action=edit&apiKey=k&phoneNumber=%2B919876543210&phoneName=Sales%20Desk';
      const res = await transport.send({ method: 'GET', url: `${server.url}${path}`, headers: { accept: 'application/json' } }, signal());
      expect(res.status).toBe(200);
      expect((await server.received())[0]).toMatchObject({ method: 'GET', url: path, body: '' });
    });

    if (caps.getWithBody) {
      it('sends a GET with a JSON body (v2 get)', async () => {
        const body = JSON.stringify({ action: 'get', userName: 'acme', phoneNumber: '919876543210' });
        const res = await transport.send({ method: 'GET', url: `${server.url}/echo`, headers: { 'content-type': 'application/json' }, body }, signal());
        expect(res.status).toBe(200);
        expect((await server.received())[0]).toMatchObject({ method: 'GET', body });
      });
    } else {
      it('refuses a GET with a body clearly, before sending anything', async () => {
        const error = await rejection(
          transport.send({ method: 'GET', url: `${server.url}/echo`, headers: {}, body: '{"action":"get"}' }, signal()),
        );
        expect(error).toBeInstanceOf(UnsupportedRequestError);
        expect((error as Error).message).toContain('use createKeepAliveTransport (or createNodeHttpTransport) from @cloudagent-phone/transport/node');
        expect(await server.received()).toHaveLength(0);
      });
    }

    it.each([
      [500, 'json'],
      [502, 'html'],
      [401, 'json'],
      [429, 'json'],
    ])('passes a %i (%s) response through untouched', async (code, type) => {
      const res = await transport.send({ method: 'POST', url: `${server.url}/status?code=${code}&type=${type}`, headers: {}, body: '{}' }, signal());
      expect(res.status).toBe(code);
      expect(res.body).toBe(type === 'html' ? '<html><body><h1>502 Bad Gateway</h1></body></html>' : '{"status":"false","message":"Missing userName or apiKey"}');
      expect(res.headers['x-request-id']).toBe('req-123');
      if (code === 429) expect(res.headers['retry-after']).toBe('7');
    });

    it('reads a chunked answer whole (chunks joined, trailer dropped, UTF-8 across chunks)', async () => {
      const res = await transport.send({ method: 'POST', url: `${server.url}/chunked`, headers: {}, body: '{"n":1}' }, signal());
      expect(res.status).toBe(200);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(JSON.parse(res.body)).toEqual({ status: 'success', message: 'Phone Number détails ok', data: '{"n":1}' });
    });

    it('reads an answer that ends when the connection does (no length, not chunked)', async () => {
      const res = await transport.send({ method: 'POST', url: `${server.url}/until-close`, headers: {}, body: '{}' }, signal());
      expect(res.status).toBe(200);
      expect(res.headers['x-framing']).toBe('none');
      expect(res.body).toBe('the body ends with the connection');
    });

    // Keep-alive: whether a transport keeps connections or not, one answer must never leak into
    // the next, and a connection the server closed must not fail (or re-send) the next request.
    it('reads answers one after another, each framed exactly (a kept connection carries the next)', async () => {
      const chunked = await transport.send({ method: 'POST', url: `${server.url}/chunked`, headers: {}, body: '{"n":1}' }, signal());
      const failed = await transport.send({ method: 'POST', url: `${server.url}/status?code=500&type=json`, headers: {}, body: '{}' }, signal());
      const echoed = await transport.send({ method: 'GET', url: `${server.url}/echo?third=1`, headers: {} }, signal());
      expect(JSON.parse(chunked.body).data).toBe('{"n":1}');
      expect(failed).toMatchObject({ status: 500, body: '{"status":"false","message":"Missing userName or apiKey"}' });
      expect(JSON.parse(echoed.body).url).toBe('/echo?third=1');
      expect((await server.received()).map((r) => r.url)).toEqual(['/chunked', '/status?code=500&type=json', '/echo?third=1']);
    });

    it('sends the next request after an answer with Connection: close, on a new connection', async () => {
      const closing = await transport.send({ method: 'POST', url: `${server.url}/close`, headers: {}, body: '{}' }, signal());
      expect(closing).toMatchObject({ status: 200, body: '{"closing":true}' });
      const next = await transport.send({ method: 'POST', url: `${server.url}/echo`, headers: {}, body: '{"after":"close"}' }, signal());
      expect(JSON.parse(next.body).body).toBe('{"after":"close"}');
      const got = await server.received();
      expect(got.map((r) => r.url)).toEqual(['/close', '/echo']);
      expect(got[1]!.connection).not.toBe(got[0]!.connection);
    });

    it('sends the next request after the server closed an idle connection: it succeeds, sent once', async () => {
      const before = await server.idleCloses();
      const first = await transport.send({ method: 'POST', url: `${server.url}/close-idle`, headers: {}, body: '{}' }, signal());
      expect(first.status).toBe(200);
      await server.waitForIdleCloses(before + 1);
      // Time for the client to see the close: the race where it does not is a transport's own case.
      await new Promise((r) => setTimeout(r, 100));
      const next = await transport.send({ method: 'POST', url: `${server.url}/echo`, headers: {}, body: '{"action":"edit"}' }, signal());
      expect(JSON.parse(next.body).body).toBe('{"action":"edit"}');
      expect((await server.received()).map((r) => r.url)).toEqual(['/close-idle', '/echo']);
    });

    it('cancels in the middle of the body: aborted, maybe_sent, and the server sees the connection close', async () => {
      const controller = new AbortController();
      const arrived = server.waitForArrivals((await server.arrivals()) + 1);
      const pending = rejection(transport.send({ method: 'POST', url: `${server.url}/slow-body`, headers: {}, body: '{}' }, controller.signal));
      await arrived;
      // The head and half the body are on their way (the server wrote them as the request arrived).
      await new Promise((r) => setTimeout(r, 50));
      controller.abort();
      expect(await pending).toMatchObject({ name: 'TransportError', code: 'aborted', delivery: 'maybe_sent' });
      await server.waitForClose();
      expect(await server.closedWhileWaiting()).toEqual(['/slow-body']);
    });

    it('does not follow redirects', async () => {
      const res = await transport.send({ method: 'POST', url: `${server.url}/redirect`, headers: {}, body: '{}' }, signal());
      expect([302, 0]).toContain(res.status);
      expect((await server.received()).map((r) => r.url)).toEqual(['/redirect']);
    });

    it('cancels the request itself on timeout (the server sees the connection close)', async () => {
      // The timeout fires once the request has arrived, as the client's per-attempt timer does (a
      // TimeoutError reason). A fixed AbortSignal.timeout(400) could expire before a loaded machine
      // even connected, and a transport that knows it sent nothing then rightly says not_sent.
      const timer = new AbortController();
      const arrived = server.waitForArrivals((await server.arrivals()) + 1);
      const pending = rejection(transport.send({ method: 'POST', url: `${server.url}/slow`, headers: {}, body: '{}' }, timer.signal));
      await arrived;
      timer.abort(new DOMException('no answer within the test timeout', 'TimeoutError'));
      const error = await pending;
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'timeout', delivery: 'maybe_sent' });
      await server.waitForClose();
      expect(await server.closedWhileWaiting()).toEqual(['/slow']);
    });

    it("cancels on the caller's abort", async () => {
      const controller = new AbortController();
      const arrived = server.waitForArrivals((await server.arrivals()) + 1);
      const pending = rejection(transport.send({ method: 'POST', url: `${server.url}/slow`, headers: {}, body: '{}' }, controller.signal));
      await arrived;
      controller.abort();
      const error = await pending;
      expect(error).toMatchObject({ name: 'TransportError', code: 'aborted', delivery: 'maybe_sent' });
      await server.waitForClose();
    });

    it('sends nothing when the signal has already fired (not_sent)', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(transport.send({ method: 'POST', url: `${server.url}/echo`, headers: {}, body: '{}' }, controller.signal));
      expect(error).toMatchObject({ code: 'aborted', delivery: 'not_sent' });
      await new Promise((r) => setTimeout(r, 50));
      expect(await server.received()).toHaveLength(0);
    });

    it.each([
      ['NUL', `${CANARY}\u0000`],
      ['DEL', `${CANARY}\u007f`],
      ['a line break', `${CANARY}\r\nx-injected: 1`],
      ['a non-Latin-1 character', `${CANARY}\u20ac`],
    ])('refuses a header holding %s as not_sent, naming the header and never its value', async (_what, value) => {
      const error = await rejection(transport.send({ method: 'POST', url: `${server.url}/echo`, headers: { apiKey: value }, body: '{}' }, signal()));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'invalid_request', delivery: 'not_sent' });
      expect((error as Error).message).toContain('apiKey');
      expect((error as Error).message).not.toContain(CANARY);
      await new Promise((r) => setTimeout(r, 50));
      expect(await server.received()).toHaveLength(0);
    });

    it('reports a refused connection as not_sent', async () => {
      const port = await server.closedPort();
      const error = await rejection(transport.send({ method: 'POST', url: `http://127.0.0.1:${port}/echo`, headers: {}, body: '{}' }, signal()));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'connect_failed', delivery: 'not_sent' });
    });

    it('reports a connection the server drops after receiving the request as maybe_sent', async () => {
      const error = await rejection(transport.send({ method: 'POST', url: `${server.url}/reset`, headers: {}, body: '{"action":"edit"}' }, signal()));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'reset', delivery: 'maybe_sent' });
      expect(await server.received()).toHaveLength(1);
    });

    it('reports a connection dropped in the middle of the response as maybe_sent', async () => {
      const error = await rejection(transport.send({ method: 'POST', url: `${server.url}/reset-mid-body`, headers: {}, body: '{}' }, signal()));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'reset', delivery: 'maybe_sent' });
    });

    it('keeps credentials out of its error messages', async () => {
      const port = await server.closedPort();
      const error = await rejection(
        transport.send({ method: 'GET', url: `http://127.0.0.1:${port}/CAServices/PhoneManageV2.php?apiKey=${CANARY}`, headers: { apiKey: CANARY } }, signal()),
      );
      expect(error).toMatchObject({ delivery: 'not_sent' });
      expect(String((error as Error).message)).not.toContain(CANARY);
      expect(String((error as Error).cause ?? '')).not.toContain(CANARY);
    });
  });
}
