import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, limitBody } from './body.js';

const appLimited = () => {
  const app = new Hono();
  app.use(limitBody((c) => c.text('too large', 413, { connection: 'close' })));
  app.post('/x', async (c) => c.text(`read ${(await c.req.text()).length}`));
  return app;
};
// A body with no Content-Length, as a chunked upload arrives: the limit is only known by reading it.
const streamed = (chunks: string[]) => {
  const bytes = chunks.map((chunk) => new TextEncoder().encode(chunk));
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled < bytes.length) controller.enqueue(bytes[pulled++]!);
      else controller.close();
    },
  }, { highWaterMark: 0 }); // pulled only when read
  return { body, pulled: () => pulled };
};
const post = (app: Hono, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  app.request('/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('limitBody', () => {
  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { body, pulled } = streamed(['{}']);
    const res = await post(appLimited(), body, { 'content-length': String(BODY_LIMIT_BYTES + 1) });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(pulled()).toBe(0);
  });

  it('passes a body at the limit through whole', async () => {
    const res = await post(appLimited(), 'a'.repeat(BODY_LIMIT_BYTES));
    expect(await res.text()).toBe(`read ${BODY_LIMIT_BYTES}`);
  });

  it('reads a streamed body up to the limit, then refuses it and stops reading', async () => {
    const chunk = 'a'.repeat(BODY_LIMIT_BYTES / 4);
    const { body, pulled } = streamed([chunk, chunk, chunk, chunk, 'a', chunk, chunk]);
    const res = await post(appLimited(), body);
    expect(res.status).toBe(413);
    expect(pulled()).toBeLessThan(7);
  });

  it('hands a streamed body under the limit on to the handler intact', async () => {
    const { body } = streamed(['{"a":', '"é"}']);
    const res = await post(appLimited(), body);
    expect(await res.text()).toBe(`read ${'{"a":"é"}'.length}`);
  });
});
