import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { createFetchTransport } from '../src/fetch-transport.js';
import { createNodeHttpTransport } from '../src/node-http-transport.js';
import { startContractServer, type RunningContractServer } from '../src/testing/node.js';

// The client's timeout must cancel the request on the wire, not only stop waiting: the server sees
// each attempt's connection close.
describe('client timeouts cancel the request', () => {
  let server: RunningContractServer;
  beforeAll(async () => {
    server = await startContractServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['node-http', createNodeHttpTransport],
    ['fetch', createFetchTransport],
  ])('over %s: an edit that times out is cancelled, reported ambiguous, and not re-sent', async (_name, factory) => {
    server.reset();
    // baseUrl points at /slow: every path under it hangs until the client gives up. The timeout is
    // long enough for the request to reach the server on a loaded machine (with 400 ms it sometimes
    // had not, and the server then had no waiting request to see closed).
    const c = createClient({ userName: 'acme', apiKey: 'k-123456', baseUrl: `${server.url}/slow`, transport: factory(), timeoutMs: 2_000, maxRetries: 3, readBack: false });
    const r = await c.editPhoneNumber({ phoneNumber: '919800000001', phoneName: 'Desk', phoneNameNew: 'Sales' });
    expect(r.outcome).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'timeout' });
    expect(r.attempts).toBe(1);
    await server.waitForClose();
    expect(server.closedWhileWaiting).toEqual(['/slow/ca_apis/PhoneManageV2']);
  });
});
