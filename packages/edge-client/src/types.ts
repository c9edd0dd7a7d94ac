import type { components, operations } from './generated/edge-api.js';

/** The edge's success body: `outcome` is `success` or `partial_success` (the skills were not applied). */
export type Success = components['schemas']['Success'];
/** An RFC 9457 problem as the edge sends it; `type` is one of the edge's stable problem types. */
export type Problem = components['schemas']['Problem'];
/** Every problem type the edge can answer (`urn:cloudagent-phone:problem:<slug>`). */
export type ProblemType = Problem['type'];
/** CloudAgent's outcome, as the edge reports it on a success or a problem. */
export type Outcome = Success['outcome'] | NonNullable<Problem['outcome']>;
/** What `GET /healthz` answers. */
export type Health = components['schemas']['Health'];

/** A bulk job as the edge reports it (`POST /bulk-jobs`, `GET` and `DELETE /bulk-jobs/{id}`). */
export type BulkJob = components['schemas']['BulkJob'];
/** One row of a bulk job: the `phone bulk-edit` columns, `action` (edit by default) and `userName`. */
export type BulkJobRow = components['schemas']['BulkJobRow'];
/** One line of a job's report, in input order. */
export type BulkJobReportLine = components['schemas']['BulkJobReportLine'];

export type CreateBody = operations['createPhoneNumber']['requestBody']['content']['application/json'];
export type EditBody = operations['editPhoneNumber']['requestBody']['content']['application/json'];
export type DeleteBody = NonNullable<operations['deletePhoneNumber']['requestBody']>['content']['application/json'];
export type LookupQuery = operations['getPhoneNumber']['parameters']['query'];

/**
 * A problem that did not come from the edge itself (a proxy's HTML error page, an empty 502):
 * RFC 9457's `about:blank`, with the status and whatever text came back.
 */
export interface ForeignProblem {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
}

interface Answered {
  /** The HTTP status of the last attempt. */
  status: number;
  /** The edge's `X-Request-Id` for the last attempt. */
  requestId: string | undefined;
  /** How many times the request was sent (1 when it was not retried). */
  attempts: number;
  /** True when the edge answered with its stored answer to the same Idempotency-Key. */
  replayed: boolean;
  /** The key sent with a mutation (the same on every attempt); undefined for a read. */
  idempotencyKey: string | undefined;
  /** The last answer's Retry-After, in milliseconds, when it had one. */
  retryAfterMs: number | undefined;
}

/** What every call returns: the edge's answer, typed. Transport failures throw EdgeConnectionError. */
export type EdgeResult<T> = (Answered & { ok: true; data: T }) | (Answered & { ok: false; problem: Problem | ForeignProblem });
