import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One thing wrong with the request, field by field (core's ValidationIssue shape). */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** RFC 9457 problem details, with our extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Core's outcome kind when CloudAgent was involved (`unknown` after a mutation timed out). */
  outcome?: string;
  /** Core's next step for the caller (`look_up_first`, `resend_safe`, ...), when CloudAgent was involved. */
  nextStep?: string;
  /** For a mutation: whether it was applied (`yes`, `no`, `unknown`). */
  applied?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are stable identifiers a program can branch on; the title is for people. */
export const PROBLEMS = {
  invalidInput: { slug: 'invalid-input', title: 'Invalid input', status: 400 },
  idempotencyKeyMissing: { slug: 'idempotency-key-missing', title: 'Idempotency-Key required', status: 400 },
  unauthorized: { slug: 'unauthorized', title: 'Missing or unknown team token', status: 401 },
  forbidden: { slug: 'forbidden', title: 'Account not granted to this team', status: 403 },
  notFound: { slug: 'not-found', title: 'No such route', status: 404 },
  phoneNumberNotFound: { slug: 'phone-number-not-found', title: 'No such phone number or name', status: 404 },
  methodNotAllowed: { slug: 'method-not-allowed', title: 'Method not allowed', status: 405 },
  conflict: { slug: 'conflict', title: 'Phone number or name already exists', status: 409 },
  idempotencyKeyInFlight: { slug: 'idempotency-key-in-flight', title: 'A request with this Idempotency-Key is in flight', status: 409 },
  tooLarge: { slug: 'body-too-large', title: 'Request body too large', status: 413 },
  unsupportedMedia: { slug: 'unsupported-media-type', title: 'Body must be JSON', status: 415 },
  rejected: { slug: 'rejected-by-cloudagent', title: 'CloudAgent rejected the request', status: 422 },
  idempotencyKeyReused: { slug: 'idempotency-key-reused', title: 'Idempotency-Key used for a different request', status: 422 },
  rateLimited: { slug: 'rate-limited', title: 'Too many requests', status: 429 },
  internal: { slug: 'internal', title: 'Internal error', status: 500 },
  notImplemented: { slug: 'not-implemented', title: 'Not available on this runtime', status: 501 },
  badGateway: { slug: 'bad-gateway', title: 'CloudAgent did not give a usable answer', status: 502 },
  misconfigured: { slug: 'misconfigured', title: 'The edge is misconfigured', status: 503 },
  timeout: { slug: 'upstream-timeout', title: 'CloudAgent did not answer in time', status: 504 },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

export function problem(kind: ProblemKind, detail: string, extensions: Omit<Partial<Problem>, 'type' | 'title' | 'status' | 'detail'> = {}): Problem {
  const p = PROBLEMS[kind];
  return { type: `urn:cloudagent-phone:problem:${p.slug}`, title: p.title, status: p.status, detail, ...extensions };
}

/** Thrown anywhere in a handler; `onError` turns it into its problem response. */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
    this.name = 'ProblemError';
  }
}

export function problemResponse(c: Context, body: Problem, headers: Record<string, string> = {}): Response {
  const requestId = c.get('requestId' as never) as string | undefined;
  const withId = requestId && !body.requestId ? { ...body, requestId } : body;
  c.header('content-type', PROBLEM_CONTENT_TYPE);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.body(JSON.stringify(withId), body.status as ContentfulStatusCode);
}
