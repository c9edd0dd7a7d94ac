import { createOutcome, judgeReadBack, nextStep, readBackLookups, settleByReadBack, validateOperation, type Outcome, type OutcomeKind, type PhoneOperation, type PlainRequest } from '@cloudagent-phone/core';
import type { EdgeConnectionError, EdgeResult, Success } from '@cloudagent-phone/edge-client';
import type { CallResult, OperationInput, PhoneClient, PreparedCall } from '@cloudagent-phone/transport';
import type { RequestPacer } from '@cloudagent-phone/bulk';
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

/**
 * The edge route and body for one operation: action from the method, the existing number in the
 * path. A lookup goes by number when it has one (as CloudAgent's get does), else by name.
 */
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
      return phoneNumber !== undefined
        ? { method: 'GET', path: `${numberPath}?${new URLSearchParams({ userName })}` }
        : { method: 'GET', path: `/phone-numbers?${new URLSearchParams({ userName, phoneName: fields.phoneName ?? '' })}` };
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

/**
 * The kind a problem means when it does not carry CloudAgent's `outcome` (refused by the edge
 * itself, before anything was sent, or an answer that is not the edge's).
 */
function kindOfProblem(problem: { type: string; status: number }, mutation: boolean): OutcomeKind {
  switch (problem.type.startsWith(PROBLEM) ? problem.type.slice(PROBLEM.length) : '') {
    case 'unauthorized':
    case 'forbidden':
      return 'auth_error';
    case 'invalid-input':
    case 'idempotency-key-missing':
    case 'idempotency-key-reused':
      return 'validation_error';
    case 'rate-limited':
      return 'rate_limited';
    case 'misconfigured':
      return 'server_error'; // refused before sending: nothing was applied
    case 'not-found':
    case 'method-not-allowed':
    case 'not-implemented':
    case 'body-too-large':
    case 'unsupported-media-type':
      return 'invalid_action';
    default:
      if (problem.status === 400 || problem.status === 422) return 'validation_error';
      if (problem.status === 429) return 'rate_limited';
      // A 5xx or a 409 (the key still in flight) that is not the edge's own word on it: a mutation
      // may have reached CloudAgent.
      return mutation ? 'unknown' : 'server_error';
  }
}

/** Core's outcome for one edge answer: the edge already reports core's kind (`outcome`) on every answer it can. */
export function outcomeFromEdge(answer: EdgeResult<Success>, op: PhoneOperation): Outcome {
  const base = { httpStatus: answer.status, ...(answer.requestId ? { requestId: answer.requestId } : {}) };
  if (answer.ok) {
    const { data } = answer;
    if (data.outcome === 'partial_success') {
      return createOutcome(op.action, { kind: 'partial_success', message: data.warning ?? data.message, field: 'skill', retryable: false, ...base });
    }
    const record = op.action === 'get' && data.phoneNumber !== undefined && data.phoneName !== undefined ? { data: { phoneNumber: data.phoneNumber, phoneName: data.phoneName } } : {};
    return createOutcome(op.action, { kind: 'success', message: data.message, retryable: false, ...record, ...base });
  }
  return withoutEdgeHint(problemOutcome(answer, op, base), op.action);
}

/**
 * The edge's detail is CloudAgent's message and then, for some steps, core's hint ("...; no such
 * name: check it; nothing was changed"). The CLI prints the hint itself, as direct, so the message
 * is taken back to CloudAgent's when it ends with exactly the hint core gives for this outcome.
 */
function withoutEdgeHint(outcome: Outcome, action: PhoneOperation['action']): Outcome {
  const suffix = `; ${nextStep(outcome, action).hint}`;
  return outcome.message.endsWith(suffix) && outcome.message.length > suffix.length ? { ...outcome, message: outcome.message.slice(0, -suffix.length) } : outcome;
}

function problemOutcome(answer: Extract<EdgeResult<Success>, { ok: false }>, op: PhoneOperation, base: { httpStatus: number; requestId?: string }): Outcome {
  const mutation = op.action !== 'get';
  const { problem } = answer;
  const said = 'outcome' in problem ? problem.outcome : undefined;
  const kind: OutcomeKind = said ?? kindOfProblem(problem, mutation);
  const field = ('field' in problem && typeof problem.field === 'string' ? problem.field : undefined) ?? ('errors' in problem ? problem.errors?.[0]?.field : undefined);
  const retryAfter = answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {};
  const common = { message: problem.detail, ...base };
  switch (kind) {
    case 'success':
    case 'partial_success':
      // A problem never says so; treat it as the edge failing to answer.
      return createOutcome(op.action, mutation ? { kind: 'unknown', ...common, retryable: false } : { kind: 'server_error', ...common, retryable: true });
    case 'not_found':
      return createOutcome(op.action, {
        kind: 'not_found',
        ...common,
        retryable: false,
        nameMismatch: 'nameMismatch' in problem && problem.nameMismatch === true,
        ...(field === 'phoneNumber' || field === 'phoneName' ? { field } : {}),
      });
    case 'rejected':
      return createOutcome(op.action, { kind: 'rejected', ...common, retryable: false, vendorMessage: problem.detail });
    case 'rate_limited':
      return createOutcome(op.action, { kind: 'rate_limited', ...common, retryable: true, ...retryAfter });
    case 'server_error':
      return createOutcome(op.action, { kind: 'server_error', ...common, retryable: true, ...retryAfter });
    case 'unknown':
      return createOutcome(op.action, { kind: 'unknown', ...common, retryable: false, ...retryAfter });
    case 'auth_error':
    case 'validation_error':
      return createOutcome(op.action, { kind, ...common, retryable: false, ...(field ? { field } : {}) });
    default:
      return createOutcome(op.action, { kind, ...common, retryable: false });
  }
}

function connectionOutcome(error: EdgeConnectionError, op: PhoneOperation): Outcome {
  const cause = /within \d+ ms/.test(error.message) ? 'timeout' : 'connect_failed';
  return op.action === 'get'
    ? createOutcome(op.action, { kind: 'server_error', message: error.message, retryable: true, cause })
    : createOutcome(op.action, { kind: 'unknown', message: error.message, retryable: false, cause });
}

export interface EdgeClientSetup {
  edge: EdgeTarget;
  userName: string;
  out: Output;
  timeoutMs: number;
  /** A bulk run's --rate, across every call. */
  limiter?: RequestPacer;
}

/** A PhoneClient whose calls go to the edge (through @cloudagent-phone/edge-client). */
export async function createEdgePhoneClient(setup: EdgeClientSetup): Promise<PhoneClient> {
  const { createEdgeClient, EdgeConnectionError } = await import('@cloudagent-phone/edge-client');
  const { edge, out, userName } = setup;
  out.addSecret(edge.token);
  // Made at the first call, so a dry run needs no token.
  let client: ReturnType<typeof createEdgeClient> | undefined;
  const edgeClient = () => {
    if (!edge.token) throw usageError('no edge token: set CAPHONE_EDGE_TOKEN, or save one with caphone config set --edge-token-stdin', "the edge's operator gives each team its token");
    client ??= createEdgeClient({
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
    return client;
  };

  type Checked = { ok: true; op: PhoneOperation } | { ok: false; result: CallResult; prepared: PreparedCall };
  function check(input: OperationInput): Checked {
    const validated = validateOperation(input);
    if (!validated.ok) {
      const outcome = createOutcome(undefined, { kind: 'validation_error', message: validated.issues.map((i) => i.message).join('; '), retryable: false });
      return { ok: false, result: { outcome, sent: false, issues: validated.issues, attempts: 0, durationMs: 0 }, prepared: { ok: false, issues: validated.issues, outcome } };
    }
    return { ok: true, op: validated.value };
  }

  async function send(op: PhoneOperation, signal: AbortSignal | undefined): Promise<CallResult> {
    const started = performance.now();
    const call = edgeCallFor(op, userName);
    const options = signal ? { signal } : {};
    const number = op.phoneNumber ?? '';
    const edgeApi = edgeClient();
    try {
      const answer =
        op.action === 'create'
          ? await edgeApi.createPhoneNumber(call.body as never, options)
          : op.action === 'edit'
            ? await edgeApi.editPhoneNumber(number, call.body as never, options)
            : op.action === 'delete'
              ? await edgeApi.deletePhoneNumber(number, call.body as never, options)
              : op.phoneNumber !== undefined
                ? await edgeApi.getPhoneNumber(number, { userName }, options)
                : await edgeApi.getPhoneNumberByName(op.phoneName ?? '', { userName }, options);
      return { outcome: outcomeFromEdge(answer, op), sent: true, attempts: answer.attempts, durationMs: performance.now() - started };
    } catch (error) {
      if (error instanceof EdgeConnectionError) {
        return { outcome: connectionOutcome(error, op), sent: error.details.mayHaveApplied || op.action === 'get', attempts: error.details.attempts, durationMs: performance.now() - started };
      }
      if (!signal?.aborted) throw error;
      const outcome =
        op.action === 'get'
          ? createOutcome(op.action, { kind: 'server_error', message: 'cancelled', retryable: true, cause: 'aborted' })
          : createOutcome(op.action, { kind: 'unknown', message: 'cancelled after sending to the edge; the change may or may not have been applied', retryable: false, cause: 'aborted' });
      return { outcome, sent: true, attempts: 1, durationMs: performance.now() - started };
    }
  }

  async function run(input: OperationInput, callOptions: { signal?: AbortSignal } = {}): Promise<CallResult> {
    const checked = check(input);
    return checked.ok ? send(checked.op, callOptions.signal) : checked.result;
  }

  /** Reads back through the edge's lookup, as core judges it; never sends the mutation. */
  async function settle(input: OperationInput, options: { original?: Outcome; signal?: AbortSignal } = {}): Promise<CallResult> {
    const started = performance.now();
    const checked = check(input);
    if (!checked.ok) return checked.result;
    const op = checked.op;
    if (op.action === 'get') throw new TypeError('settle: a get has nothing to settle; call getPhoneNumber');
    const original = options.original ?? createOutcome(op.action, { kind: 'unknown', message: 'sent earlier; its answer is unknown', retryable: false });
    const outcomes: Outcome[] = [];
    let lookups = 0;
    for (const lookup of readBackLookups(op)) {
      const looked = await send(lookup, options.signal);
      lookups += looked.attempts;
      outcomes.push(looked.outcome);
    }
    const judged = { ...judgeReadBack(op, outcomes), lookups };
    return { outcome: settleByReadBack(op, original, judged), sent: false, attempts: 0, durationMs: performance.now() - started, readBack: judged };
  }

  function prepare(input: OperationInput): PreparedCall {
    const checked = check(input);
    if (!checked.ok) return checked.prepared;
    // PlainRequest's method type is CloudAgent's (GET/POST); the edge's own are shown the same way.
    return { ok: true, operation: checked.op, request: out.redact(edgeRequestFor(checked.op, edge, userName)) as unknown as PlainRequest };
  }

  return {
    run,
    settle,
    prepare,
    createPhoneNumber: (input, options) => run({ ...input, action: 'create' } as OperationInput, options),
    editPhoneNumber: (input, options) => run({ ...input, action: 'edit' } as OperationInput, options),
    deletePhoneNumber: (input, options) => run({ ...input, action: 'delete' } as OperationInput, options),
    getPhoneNumber: (input, options) => run({ ...input, action: 'get' } as OperationInput, options),
  };
}
