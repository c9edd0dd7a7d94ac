import type { Context } from 'hono';
import { problem, ProblemError } from './problem.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The request's JSON object, or a 415/400 problem naming what is wrong. Size is bodyLimit's job.
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
