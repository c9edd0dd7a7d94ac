import { request as httpRequest, Agent } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveOnNode, type NodeServer } from './serve.js';

const running: NodeServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function serve(fetch: (request: Request) => Response | Promise<Response>, options = {}): Promise<NodeServer> {
  const server = await serveOnNode({ fetch }, options);
  running.push(server);
  return server;
}

/** A request over a keep-alive agent, so the connection stays open after the answer. */
function get(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

describe('serveOnNode', () => {
  it('serves the app on a free loopback port and names its URL', async () => {
    const server = await serve((request) => new Response(`${request.method} ${new URL(request.url).pathname}`));
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(`${server.url}/phone-numbers`);
    expect(await response.text()).toBe('GET /phone-numbers');
  });

  it('puts an IPv6 host in brackets', async () => {
    const server = await serve(() => new Response('six'), { host: '::1' }).catch((error: NodeJS.ErrnoException) => {
      // A machine without IPv6 loopback cannot run this case; anything else is a failure.
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') return undefined;
      throw error;
    });
    if (!server) return;
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    expect(await (await fetch(server.url)).text()).toBe('six');
  });

  it("sets Node's header and request timeouts when asked, and leaves Node's defaults otherwise", async () => {
    const tight = await serve(() => new Response('ok'), { headersTimeoutMs: 10_000, requestTimeoutMs: 40_000 });
    expect([tight.server.headersTimeout, tight.server.requestTimeout]).toEqual([10_000, 40_000]);
    const plain = await serve(() => new Response('ok'));
    expect([plain.server.headersTimeout, plain.server.requestTimeout]).toEqual([60_000, 300_000]);
  });

  it('rejects when the port is taken, instead of waiting or crashing', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      await expect(serveOnNode({ fetch: () => new Response('x') }, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('close() ends idle keep-alive connections at once and refuses new ones', async () => {
    const server = await serve(() => new Response('ok'));
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await get(server.url, agent)).body).toBe('ok');
      // The agent holds the connection open; close() must not wait for it to time out.
      await server.close();
      await expect(fetch(server.url)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it('close() with no grace cuts a request in flight', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await serve(async () => {
      await held;
      return new Response('late');
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = get(server.url, agent);
      await waitForConnections(server, 1);
      await server.close();
      await expect(inFlight).rejects.toThrow();
    } finally {
      release();
      agent.destroy();
    }
  });

  it('close({ graceMs }) lets a request in flight finish, then resolves without waiting out the grace', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await serve(async () => {
      await held;
      return new Response('finished');
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = get(server.url, agent);
      await waitForConnections(server, 1);
      let closed = false;
      const closing = server.close({ graceMs: 60_000 }).then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      await expect(fetch(server.url)).rejects.toThrow();
      release();
      expect(await inFlight).toEqual({ status: 200, body: 'finished' });
      // The answered connection is kept alive by the agent: close() must still end well inside the grace.
      await closing;
      expect(closed).toBe(true);
    } finally {
      release();
      agent.destroy();
    }
  });

  it('close({ graceMs }) cuts what is still running once the grace is over', async () => {
    const server = await serve(() => new Promise<Response>(() => {}));
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = get(server.url, agent);
      await waitForConnections(server, 1);
      await server.close({ graceMs: 200 });
      await expect(inFlight).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it('close() twice is one close', async () => {
    const server = await serve(() => new Response('ok'));
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });
});

async function waitForConnections(server: NodeServer, count: number): Promise<void> {
  for (;;) {
    const open = await new Promise<number>((resolve, reject) => server.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
    if (open >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
