import {
  REDACTED,
  createOutcome,
  formatIssues,
  needsReadBack,
  redact,
  settleByReadBack,
  validateCredentials,
  validateOperation,
  type Credentials,
  type Outcome,
  type PhoneAction,
  type PhoneOperation,
  type ValidationIssue,
} from '@cloudagent-phone/core';
import { readBack } from './client-read-back.js';
import { clientSettings, positiveNumber } from './client-settings.js';
import { clientTokens } from './client-tokens.js';
import type { CallOptions, CallResult, ClientOptions, OperationInput, PhoneClient, PreparedCall, ReadBackResult, SettleOptions } from './client-types.js';
import { API_V1, type ApiV1 } from './client-v1.js';
import { createFetchTransport } from './fetch-transport.js';
import { redactingLogger } from './logger.js';
import { createSendLoop, encoderFor } from './send-loop.js';
import type { Transport } from './transport.js';
import { GET_WITH_BODY_FIX, UnsupportedRequestError } from './transport-error.js';

// createClient composes five parts, each in its own file: the option checks (client-settings.ts),
// token handling (client-tokens.ts), the send loop with its retries (send-loop.ts), the
// read-back (client-read-back.ts) and v1 (client-v1.ts). What stays here: validation, and run /
// settle / prepare.

function validationOutcome(issues: ValidationIssue[], action: unknown): Outcome {
  return createOutcome(typeof action === 'string' ? (action as PhoneAction) : undefined, {
    kind: 'validation_error',
    message: `nothing was sent: ${formatIssues(issues)}`,
    ...(issues[0] ? { field: issues[0].field } : {}),
    retryable: false,
  });
}

function validationResult(issues: ValidationIssue[], action: unknown, started: number, now: () => number): CallResult {
  return {
    outcome: validationOutcome(issues, action),
    sent: false,
    issues,
    attempts: 0,
    durationMs: now() - started,
  };
}

/** Outcomes a read-back can change: an ambiguous one, or "already exist". */
const isSettleable = (outcome: Outcome) => outcome.kind === 'unknown' || outcome.kind === 'conflict';

function combine(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}

/**
 * A CloudAgent phone-number client: validates with core, encodes, sends through a transport with a
 * per-attempt timeout that cancels the request, retries only what core's policy says is safe, and
 * settles ambiguous mutations by reading back. Returns a CallResult for every outcome the server or
 * the network can produce; throws only for programmer errors (bad options, an impossible call).
 */
export function createClient(options: ClientOptions): PhoneClient {
  return buildClient(options, createFetchTransport, API_V1);
}

/**
 * createClient for callers that always pass `transport` (a missing one is a TypeError, never a
 * silent fetch transport) and speak v2 (apiVersion 'v1' is a TypeError that points at
 * createClient). Nothing of the fetch transport or of v1 is reachable from it, so a Worker bundle
 * that sends over the socket transport leaves both out (about 1 KB and 0.4 KB gzip).
 */
export function createClientWithTransport(options: ClientOptions & { transport: Transport }): PhoneClient {
  return buildClient(options, undefined, undefined);
}

function buildClient(options: ClientOptions, defaultTransport: (() => Transport) | undefined, v1: ApiV1 | undefined): PhoneClient {
  const settings = clientSettings(options, defaultTransport, v1);
  const { apiVersion, userName, transport, timeoutMs, now, canReadBack, readBackConflicts } = settings;
  const tokens = clientTokens(options, settings);
  const tokenProvider = tokens.provider;
  const secrets = tokens.secrets;
  const log = redactingLogger(options.logger, secrets);
  /** A copy with the key and every token this client has sent removed: what callers are given. */
  const safe = <T>(value: T): T => redact(value, { secrets: secrets() });

  if (apiVersion === 'v1') v1?.warnDeprecated(log, options);
  if (options.readBack !== false && !canReadBack) {
    log.debug('ambiguous mutations will not be read back', {
      reason: `the ${transport.name} transport cannot send a GET with a body (v2 get); use one whose capabilities.getWithBody is true`,
    });
  }

  const encode = encoderFor(settings, v1);
  const send = createSendLoop(options, settings, tokens, log, encode);

  // The credentials' check, kept while the key stays the same: the user name is fixed at creation,
  // but the key is read from the options at every call.
  let checked: [apiKey: string | undefined, issues: ValidationIssue[] | undefined] | undefined;

  /** Validates credentials and the operation; the operation when both are good. */
  function check(input: OperationInput): { ok: true; op: PhoneOperation } | { ok: false; issues: ValidationIssue[] } {
    const apiKey = options.apiKey;
    if (!checked || checked[0] !== apiKey) {
      const credentials = validateCredentials(
        tokenProvider && apiKey === undefined
          ? { userName, token: 'from-token-provider' } // only the user name is checked here
          : { userName, apiKey },
      );
      checked = [apiKey, credentials.ok ? undefined : credentials.issues];
    }
    // Copies: the caller owns the issues it is given.
    if (checked[1]) return { ok: false, issues: checked[1].map((issue) => ({ ...issue })) };
    const validated = validateOperation(input);
    return validated.ok ? { ok: true, op: validated.value } : validated;
  }

  function assertCanGet(action: unknown, what: string): void {
    if (!transport.capabilities.getWithBody && action === 'get') {
      throw new UnsupportedRequestError(`${what}: v2 get is a GET with a JSON body, which the ${transport.name} transport cannot send: ${GET_WITH_BODY_FIX}`);
    }
  }

  const perAttempt = (callOptions: CallOptions) =>
    callOptions.timeoutMs !== undefined ? positiveNumber('timeoutMs', callOptions.timeoutMs, timeoutMs) : timeoutMs;

  async function run(input: OperationInput, callOptions: CallOptions = {}): Promise<CallResult> {
    const started = now();
    const action = (input as { action?: unknown } | null)?.action;
    // A v1 client looks numbers up over v2 with the same key.
    assertCanGet(action, 'getPhoneNumber');
    const checked = check(input);
    if (!checked.ok) return validationResult(checked.issues, action, started, now);
    const op = checked.op;

    const signal = combine(options.signal, callOptions.signal);
    const perAttemptMs = perAttempt(callOptions);
    const sent = await send(op, signal, perAttemptMs);
    let outcome = sent.outcome;
    let judged: ReadBackResult | undefined;

    const ambiguous = needsReadBack(op.action, outcome);
    // "already exist" may mean an earlier attempt of the same change landed, or (edit) that the
    // current name given is wrong: reading back tells them from a real conflict.
    const conflictToCheck = readBackConflicts && outcome.kind === 'conflict' && (op.action === 'edit' || op.action === 'create');
    if ((ambiguous || conflictToCheck) && !signal?.aborted) {
      if (canReadBack) {
        judged = await readBack(send, op, signal, perAttemptMs);
        outcome = settleByReadBack(op, outcome, judged);
        log.info('read back', { action: op.action, verdict: judged.verdict, kind: outcome.kind });
      } else if (ambiguous) {
        log.warn('the change may or may not have been applied and cannot be read back here', { action: op.action, transport: transport.name });
      }
    }

    // Field by field, in this order (what a caller printing it sees): once per call.
    const result = { outcome, sent: sent.reached } as CallResult;
    if (sent.request) result.request = sent.request;
    result.attempts = sent.attempts;
    result.durationMs = now() - started;
    if (judged) result.readBack = judged;
    return safe(result);
  }

  async function settle(input: OperationInput, settleOptions: SettleOptions = {}): Promise<CallResult> {
    const started = now();
    const action = (input as { action?: unknown } | null)?.action;
    const checked = check(input);
    if (!checked.ok) return validationResult(checked.issues, action, started, now);
    const op = checked.op;
    if (op.action === 'get') throw new TypeError('settle: a get has nothing to settle; call getPhoneNumber');
    // What is being settled: the caller's own record of the answer, or "sent, answer unknown".
    const original: Outcome = settleOptions.original ?? createOutcome(op.action, { kind: 'unknown', message: 'sent earlier; its answer is unknown', retryable: false });
    if (!canReadBack) {
      log.warn('cannot settle by reading back here', { action: op.action, transport: transport.name });
      const outcome = isSettleable(original)
        ? { ...original, message: `${original.message}; it cannot be read back over the ${transport.name} transport (v2 get needs capabilities.getWithBody)` }
        : original;
      return safe({ outcome, sent: false, attempts: 0, durationMs: now() - started });
    }
    const signal = combine(options.signal, settleOptions.signal);
    const judged = await readBack(send, op, signal, perAttempt(settleOptions));
    const outcome = settleByReadBack(op, original, judged);
    log.info('settled by reading back', { action: op.action, verdict: judged.verdict, kind: outcome.kind });
    return safe({ outcome, sent: false, attempts: 0, durationMs: now() - started, readBack: judged });
  }

  function prepare(input: OperationInput): PreparedCall {
    const action = (input as { action?: unknown } | null)?.action;
    assertCanGet(action, 'prepare');
    const checked = check(input);
    if (!checked.ok) return { ok: false, issues: checked.issues, outcome: safe(validationOutcome(checked.issues, action)) };
    // The token is fetched only when sending; the request shows where it would go.
    const credentials: Credentials = tokenProvider ? { userName, token: REDACTED } : { userName, apiKey: options.apiKey as string };
    return { ok: true, operation: checked.op, request: safe(encode(checked.op, credentials)) };
  }

  const runAs =
    (action: PhoneAction) =>
    (input: object, callOptions?: CallOptions): Promise<CallResult> =>
      run({ ...input, action } as OperationInput, callOptions);

  return {
    settle,
    prepare,
    createPhoneNumber: runAs('create'),
    editPhoneNumber: runAs('edit'),
    deletePhoneNumber: runAs('delete'),
    getPhoneNumber: runAs('get'),
    run,
  };
}
