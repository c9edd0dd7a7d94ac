import './provided-context.js';
import { connect } from 'cloudflare:sockets';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { createSocketTransport, type SocketConnect, type SocketConnectOptions } from '../../src/workers.js';
import { contractServerAt } from '../../src/testing.js';

// No real TLS host is reachable offline. What can be checked: an https URL makes the transport ask
// the runtime for TLS (secureTransport 'on', port 443 by default), and a handshake that fails (here:
// against a plain-HTTP server) is reported as not_sent, with nothing arriving as HTTP.
describe('socket transport: the TLS path inside workerd', () => {
  const server = contractServerAt(inject('contractServerUrl'));
  const opened: { address: { hostname: string; port: number }; options: SocketConnectOptions }[] = [];
  const recording: SocketConnect = (address, options) => {
    opened.push({ address, options });
    return connect(address, options);
  };
  beforeEach(async () => {
    opened.length = 0;
    await server.reset();
  });

  it('opens an https URL with secureTransport "on" and reports a failed handshake as not_sent', async () => {
    const port = Number(new URL(server.url).port);
    const transport = createSocketTransport({ connect: recording });
    const error = await transport.send({ method: 'POST', url: `https://127.0.0.1:${port}/echo`, headers: { apiKey: 'CANARY-KEY-tls-91c2' }, body: '{}' }, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(opened).toEqual([{ address: { hostname: '127.0.0.1', port }, options: { secureTransport: 'on', allowHalfOpen: false } }]);
    expect(error).toMatchObject({ name: 'TransportError', code: 'connect_failed', delivery: 'not_sent' });
    expect(String((error as Error).message)).not.toContain('CANARY');
    expect(await server.received()).toEqual([]);
  });

  it('opens an http URL as plain TCP', async () => {
    const transport = createSocketTransport({ connect: recording });
    const response = await transport.send({ method: 'GET', url: `${server.url}/echo`, headers: {}, body: '{"action":"get"}' }, AbortSignal.timeout(5000));
    expect(response.status).toBe(200);
    expect(opened[0]?.options).toEqual({ secureTransport: 'off', allowHalfOpen: false });
  });
});
