// The hostile-input suite inside workerd: the same generated requests and junk names as on Node,
// through the runtime-neutral app in this isolate, and the dev Worker itself (HEAD, a 200 MB body).
// Memory is asserted on Node only: a test inside workerd cannot read the isolate's usage.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createFetchTransport } from '@cloudagent-phone/transport';
import { createShim } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { simulator } from '../../src/dev-worker.js';
import { expectBoundedAfterJunk, fuzzMalformed, junkRun } from '../hostile.js';
import { KEY, PATH, USER, makeHarness } from '../matrix.js';

/** A body generated as it is read: 200 MB are never allocated, and only what is pulled is made. */
function generatedBody(total: number): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe('hostile input inside workerd', () => {
  it('the runtime is workerd', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });

  it('5,000 generated malformed requests: no crash, no undocumented status, nothing sent, no key anywhere', async () => {
    const h = makeHarness({ env: { SHIM_MODE: 'verify' } });
    const { byDefect } = await fuzzMalformed(h, 5_000);
    expect(byDefect.size).toBe(10);
  }, 180_000);

  it('10,000 junk user names: the real account keeps its label, junk shares one', async () => {
    const run = junkRun();
    expect((await run.real(1)).status).toBe(200);
    await run.send(0, 10_000);
    expect((await run.real(2)).status).toBe(200);
    await expectBoundedAfterJunk(run, 2);
  }, 180_000);

  it('a 200 MB streamed body is cut at the limit (413) after reading about 64 KB of it', async () => {
    const body = generatedBody(200 * 1024 * 1024);
    const response = await exports.default.fetch(
      new Request(`http://shim.test${PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.stream }),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toMatch(/request body too large/);
    expect(body.pulled()).toBeLessThan(1024 * 1024);
  });

  it('HEAD on a mutating v1 URL is 405 with Allow: GET, POST, and nothing reaches v2', async () => {
    const before = simulator.control.calls().length;
    const response = await exports.default.fetch(`http://shim.test${PATH}?action=delete&apiKey=demo-key&userName=demo&phoneNumber=%2B919876543210&phoneName=Support`, { method: 'HEAD' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(simulator.control.calls().length).toBe(before);
  });

  it('a body that stalls gets 408; a body that breaks off is logged at info, not as a 500', async () => {
    const lines: string[] = [];
    const v2 = { calls: 0 };
    const shim = createShim({
      config: configFromEnv({ CLOUDAGENT_BASE_URL: 'https://v2.test', SHIM_BODY_TIMEOUT_MS: '200' }),
      v2Transport: createFetchTransport({ fetch: async () => (v2.calls++, new Response('{}')) }),
      log: (l) => lines.push(l),
    });
    const post = (body: ReadableStream<Uint8Array>) =>
      shim.fetch(new Request(`http://shim.test${PATH}?userName=${USER}&apiKey=${KEY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    const stalled = await post(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('action=create&')) }));
    expect(stalled.status).toBe(408);
    const broken = await post(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('action=create&'));
          setTimeout(() => c.error(new Error('connection reset by peer')), 10);
        },
      }),
    );
    expect(broken.status).toBe(400);
    expect(v2.calls).toBe(0);
    const parsed = lines.map((l) => JSON.parse(l) as { level: string; reason?: string });
    expect(parsed.map((l) => l.reason)).toEqual(['body-timeout', 'client-aborted']);
    expect(parsed.every((l) => l.level === 'info')).toBe(true);
    for (const l of lines) expect(l).not.toContain(KEY);
  });
});
