import type { Context, MiddlewareHandler } from 'hono';
import { problem, ProblemError } from './problem.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Refuses a body over BODY_LIMIT_BYTES with `onTooLarge`'s answer, before anything reads it. A
 * declared Content-Length is trusted and the body left unread (hence the 413's Connection: close);
 * a streamed body (Transfer-Encoding, or no length) is read up to the limit and stops there, and
 * what was read stands in for the request's body afterwards. What `hono/body-limit` does, written
 * out because its default error (an HTTPException) and option handling cost Worker bytes the edge
 * cannot spare.
 */
export const limitBody =
  (onTooLarge: (c: Context) => Response): MiddlewareHandler =>
  async (c, next) => {
    const { body, headers } = c.req.raw;
    if (!body) return next();
    if (headers.has('content-length') && !headers.has('transfer-encoding')) {
      return parseInt(headers.get('content-length') || '0', 10) > BODY_LIMIT_BYTES ? onTooLarge(c) : next();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (const reader = body.getReader(); ; ) {
      const { done, value } = await reader.read();
      if (done) break;
      if ((size += value.length) > BODY_LIMIT_BYTES) return onTooLarge(c);
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: new Blob(chunks) });
    return next();
  };

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The request's JSON object, or a 415/400 problem naming what is wrong. Size is limitBody's job.
 * `whenEmpty`: where the fields come from when no body was sent at all (DELETE: many clients and
 * proxies drop a DELETE's body, so its fields may come in the query string).
 */
export async function readJsonObject(c: Context, whenEmpty?: () => Record<string, unknown>): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (whenEmpty && text.trim() === '') return whenEmpty();
  const type = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(type)) {
    throw new ProblemError(problem('unsupportedMedia', 'send the body as JSON with Content-Type: application/json'));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProblemError(
      problem('invalidInput', 'the body is not valid JSON', { errors: [{ field: 'body', rule: 'json', message: 'body must be a valid JSON object' }] }),
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProblemError(
      problem('invalidInput', 'the body must be a JSON object', { errors: [{ field: 'body', rule: 'type-object', message: 'body must be a JSON object of phone-number fields' }] }),
    );
  }
  return value as Record<string, unknown>;
}
