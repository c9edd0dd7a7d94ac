import { causeOf, createOutcome, isAmbiguous, nextStep, type Outcome, type OutcomeCause } from '@cloudagent-phone/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { EdgeVariables } from '../app.js';
import { problem, ProblemError } from '../problem.js';
import { fingerprintInput, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, KEYED_METHODS, parseIdempotencyKey } from './key.js';
import type { IdempotencyStore, StoredAnswer } from './store.js';

/** What the handler learns from this middleware about a keyed request. */
export interface KeyedRequest {
  key: string;
  /**
   * A replay whose first answer was ambiguous (or never came): the handler settles it by reading
   * back instead of sending, and the rate limiter lets it through uncounted.
   */
  settling?: { original: Outcome; firstRequestId?: string };
}

export interface IdempotencyOptions {
  store: IdempotencyStore;
  now: () => number;
  /** How long a claim may stay unfinished before it counts as abandoned (well past the edge's deadline). */
  leaseMs: number;
  /** SHA-256 hex, as team tokens are hashed. */
  hash: (text: string) => Promise<string> | string;
}

type EdgeContext = Context<{ Variables: EdgeVariables }>;
type Mutation = 'create' | 'edit' | 'delete';

const ACTION_OF: Record<string, Mutation> = { POST: 'create', PATCH: 'edit', DELETE: 'delete' };

/** Nothing was applied, with proof, and the same request may be sent again (core's next step). */
function retriable(sent: Outcome, action: Mutation): boolean {
  const step = nextStep(sent, action).step;
  return step === 'resend_safe' || step === 'wait_and_retry';
}

/**
 * Idempotency keys (draft-ietf-httpapi-idempotency-key-header-07, as Stripe's API behaves), between
 * the team check and the rate limiter, so replays are answered without counting. A keyed request
 * that sends something to CloudAgent keeps its answer 24 h; one that sends nothing (refused input,
 * the team's rate, a definite "not applied" that may simply be tried again) releases the key.
 */
export function idempotencyKeys(options: IdempotencyOptions): MiddlewareHandler<{ Variables: EdgeVariables }> {
  const { store } = options;

  return async (c, next) => {
    if (!KEYED_METHODS.has(c.req.method)) return next();
    const team = c.get('team')!;
    const header = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (header === undefined) {
      if (team.requireIdempotencyKey) {
        throw new ProblemError(
          problem('idempotencyKeyMissing', `team "${team.name}" must send an Idempotency-Key header (1 to 255 printable characters, a new one for each change, e.g. a UUID) with every POST, PATCH and DELETE`),
        );
      }
      return next();
    }
    const key = parseIdempotencyKey(header);
    if (key === undefined) {
      const message = 'Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is a good choice)';
      throw new ProblemError(problem('invalidInput', message, { errors: [{ field: 'Idempotency-Key', rule: 'idempotency-key', message }] }));
    }
    const url = new URL(c.req.url);
    const fingerprint = await options.hash(fingerprintInput(c.req.method, url.pathname + url.search, await c.req.text()));
    const claim = await store.claim(team.name, key, fingerprint, options.now(), options.leaseMs);
    switch (claim.state) {
      case 'mismatch':
        throw new ProblemError(
          problem('idempotencyKeyReused', 'this Idempotency-Key was first used for a different request (method, path or body); use a new key for a new change'),
        );
      case 'in_flight':
        throw new ProblemError(problem('idempotencyKeyInFlight', 'the first request with this Idempotency-Key has not finished; retry in a second to get its answer'), {
          'retry-after': '1',
        });
      case 'completed':
        if (!claim.answer.ambiguous) return replay(c, claim.answer);
        return settle(c, next, key, claim.answer);
      case 'abandoned':
        return settle(c, next, key, undefined);
    }

    c.set('idempotency', { key });
    await next();
    const sent = c.get('sent');
    if (!sent || retriable(sent, ACTION_OF[c.req.method]!)) await store.release(team.name, key);
    else await store.complete(team.name, key, await answerOf(c, sent), options.now());
  };

  async function settle(c: EdgeContext, next: () => Promise<void>, key: string, first: StoredAnswer | undefined): Promise<void> {
    const { message, cause, httpStatus } = first?.ambiguous ?? { message: 'the first request with this Idempotency-Key never finished', cause: 'timeout' };
    const original = createOutcome(ACTION_OF[c.req.method], {
      kind: 'unknown',
      message,
      retryable: false,
      ...(cause !== undefined ? { cause: cause as OutcomeCause } : {}),
      ...(httpStatus !== undefined ? { httpStatus } : {}),
    });
    c.set('idempotency', { key, settling: { original, ...(first ? { firstRequestId: first.requestId } : {}) } });
    await next();
    const sent = c.get('sent');
    // Refused before reading back (the account is no longer granted, say): that answer stands.
    if (!sent) return;
    if (isAmbiguous(sent) && first) {
      // Reading back could not tell: the first answer again, and still nothing sent.
      c.res = new Response(first.body, { status: first.status, headers: { 'content-type': first.contentType, [IDEMPOTENT_REPLAYED_HEADER]: 'true' } });
      return;
    }
    await store.complete(c.get('team')!.name, key, await answerOf(c, sent), options.now());
    c.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  }
}

function replay(c: EdgeContext, answer: StoredAnswer): Response {
  return c.body(answer.body, answer.status as 200, { 'content-type': answer.contentType, [IDEMPOTENT_REPLAYED_HEADER]: 'true' });
}

async function answerOf(c: EdgeContext, sent: Outcome): Promise<StoredAnswer> {
  const { kind, message, httpStatus } = sent;
  const cause = causeOf(sent);
  return {
    status: c.res.status,
    contentType: c.res.headers.get('content-type') ?? 'application/json',
    body: await c.res.clone().text(),
    outcome: kind,
    requestId: c.get('requestId'),
    ...(isAmbiguous(sent) ? { ambiguous: { message, ...(cause !== undefined ? { cause } : {}), ...(httpStatus !== undefined ? { httpStatus } : {}) } } : {}),
  };
}
