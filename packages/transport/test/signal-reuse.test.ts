import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { createKeepAliveTransport } from '../src/keep-alive-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { startContractServer } from '../src/testing/node.js';
import type { Transport } from '../src/transport.js';
import { SUCCESS } from './fake-transport.js';

const edit = { phoneNumber: '919800000001', phoneName: 'Desk', phoneNumberNew: '919800000002' };

/** A transport that records the signal of every request, answering success or hanging until aborted. */
function recording(releasesSignal: boolean | undefined, hang: (index: number) => boolean = () => false) {
  const signals: AbortSignal[] = [];
  const transport: Transport = {
    name: 'recording',
    capabilities: { getWithBody: true, ...(releasesSignal === undefined ? {} : { releasesSignal }) },
    send(_request, signal) {
      signals.push(signal);
      if (!hang(signals.length - 1)) return Promise.resolve(SUCCESS);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    },
  };
  return { transport, signals };
}

describe('attempt signals', () => {
  it('a transport that releases its signals gets the signal of an earlier attempt that did not fire', async () => {
    const { transport, signals } = recording(true);
    const c = createClient({ userName: 'acme', apiKey: 'k-123456', baseUrl: 'https://cloudagent.test', transport });
    for (let i = 0; i < 3; i++) expect((await c.editPhoneNumber(edit)).outcome.kind).toBe('success');
    expect(new Set(signals).size).toBe(1);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('any other transport gets a fresh signal for every attempt', async () => {
    for (const releases of [undefined, false]) {
      const { transport, signals } = recording(releases);
      const c = createClient({ userName: 'acme', apiKey: 'k-123456', baseUrl: 'https://cloudagent.test', transport });
      for (let i = 0; i < 3; i++) await c.editPhoneNumber(edit);
      expect(new Set(signals).size).toBe(3);
    }
  });

  it('a signal that fired (a timeout) is never handed out again', async () => {
    const { transport, signals } = recording(true, (i) => i === 0);
    const c = createClient({ userName: 'acme', apiKey: 'k-123456', baseUrl: 'https://cloudagent.test', transport, timeoutMs: 20, readBack: false });
    const first = await c.editPhoneNumber(edit);
    expect(first.outcome.kind).toBe('unknown');
    expect(signals[0]?.aborted).toBe(true);
    expect((await c.editPhoneNumber(edit)).outcome.kind).toBe('success');
    expect(signals[1]).not.toBe(signals[0]);
    expect(signals[1]?.aborted).toBe(false);
  });

  // What `releasesSignal` promises, checked on the transport that claims it: no listener is left on
  // the signal once send settles (an answer, an error status, a refused connection). The socket
  // transport (Workers, one request per call) does not claim it: its bytes are the Worker's.
  for (const [name, make] of [
    ['node-http', () => createNodeHttpTransport()],
    ['keep-alive', () => createKeepAliveTransport()],
  ] as const) {
    it(`${name} claims releasesSignal and leaves no abort listener behind`, async () => {
      const transport = make();
      expect(transport.capabilities.releasesSignal).toBe(true);
      const server = await startContractServer();
      try {
        const signal = new AbortController().signal;
        await transport.send({ method: 'POST', url: `${server.url}/echo`, headers: { 'content-type': 'application/json' }, body: '{}' }, signal);
        await transport.send({ method: 'GET', url: `${server.url}/status?code=500`, headers: {} }, signal);
        await transport.send({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {} }, signal).catch(() => undefined);
        expect(getEventListeners(signal, 'abort')).toHaveLength(0);
      } finally {
        await server.close();
      }
    });
  }
});
