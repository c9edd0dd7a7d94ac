import { validateOperation, type Outcome, type OutcomeKind, type PhoneOperation } from '@cloudagent-phone/core';
import type { EdgeConnectionError, EdgeResult, Problem, Success } from '@cloudagent-phone/edge-client';
import type { CallResult, OperationInput, PhoneClient } from '@cloudagent-phone/transport';
import type { RateLimiter } from './bulk/rate-limit.js';
import { usageError } from './cli-error.js';
import type { Output } from './output.js';
import type { EdgeTarget } from './settings/resolve-target.js';

/**
 * `caphone phone ...` through a cloudagent-phone edge: the same commands, output and exit codes,
 * with the team's edge token instead of a CloudAgent key. The edge answers in its own terms
 * (HTTP statuses, problem types, `outcome`); this turns them back into core's outcome, so
 * everything after the call (the presenter, exit codes, bulk runs) is the same code as direct.
 */

/** An edge request as shown by --dry-run and in the --json envelope (the token is redacted by Output). */
export interface EdgeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface EdgeCall {
  method: EdgeRequest['method'];
  path: string;
  body?: Record<string, unknown>;
}

/** The edge looks numbers up by number only (GET /phone-numbers/{phoneNumber}). */
export const EDGE_GET_BY_NAME = 'through an edge, a number is looked up by its number only (the edge has no lookup by name)';

/** The edge route and body for one operation: action from the method, the existing number in the path. */
export function edgeCallFor(op: PhoneOperation, userName: string): EdgeCall {
  const { action, phoneNumber, ...fields } = op;
  const numberPath = `/phone-numbers/${encodeURIComponent(phoneNumber ?? '')}`;
  switch (action) {
    case 'create':
      return { method: 'POST', path: '/phone-numbers', body: { userName, phoneNumber, ...fields } };
    case 'edit':
      return { method: 'PATCH', path: numberPath, body: { userName, ...fields } };
    case 'delete':
      return { method: 'DELETE', path: numberPath, body: { userName, ...fields } };
    case 'get':
      return { method: 'GET', path: `${numberPath}?${new URLSearchParams({ userName })}` };
  }
}

export function edgeRequestFor(op: PhoneOperation, edge: EdgeTarget, userName: string): EdgeRequest {
  const call = edgeCallFor(op, userName);
  const headers: Record<string, string> = { authorization: `Bearer ${edge.token ?? '<CAPHONE_EDGE_TOKEN>'}` };
  if (call.body) headers['content-type'] = 'application/json';
  if (op.action !== 'get') headers['idempotency-key'] = '<one per command, the same on each retry>';
  return { method: call.method, url: `${edge.url}${call.path}`, headers, ...(call.body ? { body: JSON.stringify(call.body) } : {}) };
}

const PROBLEM = 'urn:cloudagent-phone:problem:';

/** What a problem without CloudAgent's `outcome` means for the caller, by its type (or its status). */
function kindOfProblem(problem: Problem | { type: string; status: number }): { kind: OutcomeKind; notApplied: boolean } {
  switch (problem.type.startsWith(PROBLEM) ? problem.type.slice(PROBLEM.length) : '') {
    case 'unauthorized':
    case 'forbidden':
      return { kind: 'auth_error', notApplied: true };
    case 'invalid-input':
      return { kind: 'validation_error', notApplied: true };
    case 'rate-limited':
      return { kind: 'rate_limited', notApplied: true };
    case 'misconfigured':
      return { kind: 'server_error', notApplied: true };
    case 'not-found':
    case 'method-not-allowed':
    case 'not-implemented':
    case 'body-too-large':
    case 'unsupported-media-type':
      return { kind: 'invalid_action', notApplied: true };
    default:
      if (problem.status === 422 || problem.status === 400) return { kind: 'validation_error', notApplied: true };
      if (problem.status === 429) return { kind: 'rate_limited', notApplied: true };
      return { kind: problem.status >= 500 ? 'server_error' : 'unknown', notApplied: false };
  }
}

/** Core's outcome for one edge answer. */
export function outcomeFromEdge(answer: EdgeResult<Success>, op: PhoneOperation): Outcome {
  const mutation = op.action !== 'get';
  const common = { httpStatus: answer.status, ...(answer.requestId ? { requestId: answer.requestId } : {}) };
  if (answer.ok) {
    const { data } = answer;
    const partial = data.outcome === 'partial_success';
    return {
      kind: data.outcome,
      message: partial ? (data.warning ?? data.message) : data.message,
      ...(partial ? { field: data.field ?? 'skill' } : {}),
      ...(op.action === 'get' && data.phoneNumber !== undefined && data.phoneName !== undefined ? { data: { phoneNumber: data.phoneNumber, phoneName: data.phoneName } } : {}),
      retryable: false,
      ambiguous: false,
      ...common,
    };
  }
  const { problem } = answer;
  const byType = kindOfProblem(problem);
  const kind: OutcomeKind = ('outcome' in problem && problem.outcome) || byType.kind;
  // A mutation that may have reached CloudAgent and was not settled (the edge's client already
  // retried it with the same Idempotency-Key): look before doing anything else.
  const ambiguous = mutation && (kind === 'unknown' || (kind === 'server_error' && !byType.notApplied) || (answer.status === 409 && !('outcome' in problem && problem.outcome)));
  return {
    kind: ambiguous && kind !== 'server_error' ? 'unknown' : kind,
    message: problem.detail,
    ...('field' in problem && problem.field ? { field: problem.field } : {}),
    ...('errors' in problem && problem.errors?.[0] ? { field: problem.errors[0].field } : {}),
    retryable: !ambiguous && (kind === 'rate_limited' || (kind === 'server_error' && (byType.notApplied || !mutation))),
    ambiguous,
    ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}),
    ...common,
  };
}

function connectionOutcome(error: EdgeConnectionError, op: PhoneOperation): Outcome {
  const mutation = op.action !== 'get';
  const cause = /within \d+ ms/.test(error.message) ? 'timeout' : 'connect_failed';
  return mutation
    ? { kind: 'unknown', message: error.message, retryable: false, ambiguous: error.details.mayHaveApplied, cause }
    : { kind: 'server_error', message: error.message, retryable: true, ambiguous: false, cause };
}

export interface EdgeClientSetup {
  edge: EdgeTarget;
  userName: string;
  out: Output;
  timeoutMs: number;
  /** A bulk run's --rate, across every call. */
  limiter?: RateLimiter;
}

/** A PhoneClient whose calls go to the edge (through @cloudagent-phone/edge-client). */
export async function createEdgePhoneClient(setup: EdgeClientSetup): Promise<PhoneClient> {
  const { createEdgeClient, EdgeConnectionError } = await import('@cloudagent-phone/edge-client');
  const { edge, out, userName } = setup;
  if (!edge.token) throw usageError('no edge token: set CAPHONE_EDGE_TOKEN, or save one with caphone config set --edge-token-stdin', "the edge's operator gives each team its token");
  out.addSecret(edge.token);
  const client = createEdgeClient({
    baseUrl: edge.url,
    token: edge.token,
    timeoutMs: setup.timeoutMs,
    fetch: async (url, init) => {
      await setup.limiter?.take(init.signal ?? undefined);
      if (out.verbose) out.detail(`> ${init.method} ${url}${init.body ? `\n> ${String(init.body)}` : ''}`);
      const response = await fetch(url, init);
      if (out.verbose) out.detail(`< ${response.status} x-request-id: ${response.headers.get('x-request-id') ?? '-'}`);
      return response;
    },
  });

  async function run(input: OperationInput, callOptions: { signal?: AbortSignal } = {}): Promise<CallResult> {
    const started = performance.now();
    const validated = validateOperation(input);
    if (!validated.ok) {
      const message = validated.issues.map((i) => i.message).join('; ');
      return { outcome: { kind: 'validation_error', message, retryable: false, ambiguous: false }, sent: false, issues: validated.issues, attempts: 0, durationMs: 0 };
    }
    const op = validated.value;
    if (op.action === 'get' && !op.phoneNumber) {
      return { outcome: { kind: 'invalid_action', message: EDGE_GET_BY_NAME, retryable: false, ambiguous: false }, sent: false, attempts: 0, durationMs: 0 };
    }
    const call = edgeCallFor(op, userName);
    const options = callOptions.signal ? { signal: callOptions.signal } : {};
    const number = op.phoneNumber ?? '';
    try {
      const answer =
        op.action === 'create'
          ? await client.createPhoneNumber(call.body as never, options)
          : op.action === 'edit'
            ? await client.editPhoneNumber(number, call.body as never, options)
            : op.action === 'delete'
              ? await client.deletePhoneNumber(number, call.body as never, options)
              : await client.getPhoneNumber(number, { userName }, options);
      return { outcome: outcomeFromEdge(answer, op), sent: true, attempts: answer.attempts, durationMs: performance.now() - started };
    } catch (error) {
      if (!(error instanceof EdgeConnectionError)) {
        if (callOptions.signal?.aborted) {
          const outcome: Outcome = op.action === 'get'
            ? { kind: 'server_error', message: 'cancelled', retryable: true, ambiguous: false, cause: 'aborted' }
            : { kind: 'unknown', message: 'cancelled after sending to the edge; the change may or may not have been applied', retryable: false, ambiguous: true, cause: 'aborted' };
          return { outcome, sent: true, attempts: 1, durationMs: performance.now() - started };
        }
        throw error;
      }
      return { outcome: connectionOutcome(error, op), sent: error.details.mayHaveApplied || op.action === 'get', attempts: error.details.attempts, durationMs: performance.now() - started };
    }
  }

  return {
    run,
    createPhoneNumber: (input, options) => run({ ...input, action: 'create' } as OperationInput, options),
    editPhoneNumber: (input, options) => run({ ...input, action: 'edit' } as OperationInput, options),
    deletePhoneNumber: (input, options) => run({ ...input, action: 'delete' } as OperationInput, options),
    getPhoneNumber: (input, options) => run({ ...input, action: 'get' } as OperationInput, options),
  };
}
