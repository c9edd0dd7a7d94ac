import type { Context } from 'hono';
import type { SimulatorEnv } from './bindings.js';

/**
 * The raw request body, also for a GET (the v2 `get` action is documented as a GET with a JSON
 * body). Under @hono/node-server the standard Request never carries a GET body, so it is read from
 * the Node request; in any other runtime, from the Request when it has one.
 */
export async function readBody(c: Context<SimulatorEnv>): Promise<string> {
  const method = c.req.method;
  // POST bodies go through Hono, which takes @hono/node-server's fast path (touching `raw.body`
  // would build a full Request per call).
  if (method !== 'GET' && method !== 'HEAD') return c.req.text();
  const incoming = c.env?.incoming;
  if (incoming && typeof incoming[Symbol.asyncIterator] === 'function') {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of incoming) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
  return c.req.raw.body === null ? '' : c.req.text();
}
