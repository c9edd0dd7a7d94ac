import {
  REDACTED,
  backoffDelay,
  causeOf,
  classify,
  createOutcome,
  encodeV1,
  encodeV2,
  failureOutcome,
  formatIssues,
  isTokenRejection,
  judgeReadBack,
  mayRetry,
  needsReadBack,
  readBackLookups,
  redact,
  retryAfterOf,
  settleByReadBack,
  validateCredentials,
  validateOperation,
  type Credentials,
  type EncodeOptions,
  type Outcome,
  type PhoneAction,
  type PhoneOperation,
  type PlainRequest,
  type ValidationIssue,
} from '@cloudagent-phone/core';
import type { CallOptions, CallResult, ClientOptions, OperationInput, PhoneClient, PreparedCall, ReadBackResult, SettleOptions } from './client-types.js';
import { createFetchTransport } from './fetch-transport.js';
import { redactingLogger } from './logger.js';
import { abortableSleep, attemptSignal, sendWithin } from './signals.js';
import { TokenError, createTokenManager, type TokenProvider } from './token-manager.js';
import type { Transport } from './transport.js';
import { GET_WITH_BODY_FIX, TransportError, UnsupportedRequestError } from './transport-error.js';

export const V1_DEPRECATION_WARNING =
  "CloudAgent's v1 endpoint (/CAServices/PhoneManageV2.php) passed its announced deprecation date (30 April 2025) and may stop answering: move to apiVersion 'v2'";

interface Sent {
  outcome: Outcome;
  attempts: number;
  request?: PlainRequest;
}

function assertTransport(transport: unknown): asserts transport is Transport {
  const t = transport as Partial<Transport> | null;
  if (typeof t !== 'object' || t === null || typeof t.send !== 'function' || typeof t.capabilities?.getWithBody !== 'boolean') {
    throw new TypeError('createClient: transport must be { name, capabilities: { getWithBody: boolean }, send(request, signal) }');
  }
}

function assertBaseUrl(baseUrl: string | undefined): void {
  if (baseUrl === undefined) return;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`createClient: baseUrl must be an absolute http(s) URL such as https://in1-ccaas-api.ozonetel.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('createClient: baseUrl must start with https:// or http://');
  if (url.search !== '' || url.hash !== '') throw new TypeError('createClient: baseUrl must not carry a query string or fragment');
}

function positiveNumber(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`createClient: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return value;
}

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
  if (typeof options !== 'object' || options === null) throw new TypeError('createClient: options are required ({ userName, apiKey, ... })');
  const apiVersion = options.apiVersion ?? 'v2';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') throw new TypeError("createClient: apiVersion must be 'v1' or 'v2'");
  const auth = options.auth ?? 'basic';
  if (auth !== 'basic' && auth !== 'token') throw new TypeError("createClient: auth must be 'basic' or 'token' (the account's API Authentication setting)");
  if (auth === 'token' && apiVersion === 'v1') {
    throw new TypeError("createClient: v1 has no token authentication; use apiVersion 'v2' with auth 'token', or auth 'basic' with v1");
  }
  if (auth === 'token' && options.apiKey === undefined && options.tokenProvider === undefined) {
    throw new TypeError("createClient: auth 'token' needs apiKey (to generate tokens) or a tokenProvider");
  }
  // Core's schema trims the user name when it checks it; what is sent must be what was checked.
  const userName = typeof options.userName === 'string' ? options.userName.trim() : options.userName;
  const transport = options.transport ?? createFetchTransport();
  assertTransport(transport);
  assertBaseUrl(options.baseUrl);
  const timeoutMs = positiveNumber('timeoutMs', options.timeoutMs, 30_000);
  const maxRetries = Math.floor(positiveNumber('maxRetries', options.maxRetries, 2, true));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const encodeOptions: EncodeOptions = { ...options.encodeOptions, ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}) };
  // Read-back is a v2 get with the same credentials, whatever version the client sends mutations
  // over: the key a v1 client sends in the query string is the account's v2 key too.
  const canReadBack = options.readBack !== false && transport.capabilities.getWithBody;
  const readBackConflicts = options.readBackConflicts !== false;

  // Tokens this client has sent, newest last (a few: concurrent calls may still hold an older one).
  const tokensSeen: string[] = [];
  const rememberToken = (token: string) => {
    if (tokensSeen[tokensSeen.length - 1] === token) return;
    tokensSeen.push(token);
    if (tokensSeen.length > 4) tokensSeen.shift();
  };
  const secrets = () => [options.apiKey, ...tokensSeen];
  const log = redactingLogger(options.logger, secrets);

  const tokenProvider: TokenProvider | undefined =
    auth === 'token'
      ? (options.tokenProvider ??
        createTokenManager({
          userName,
          apiKey: options.apiKey as string,
          transport,
          timeoutMs,
          ...(encodeOptions.baseUrl !== undefined ? { baseUrl: encodeOptions.baseUrl } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        }))
      : undefined;

  if (apiVersion === 'v1') {
    // Once per client, at creation. With no logger a deprecation nobody sees is useless, so this one
    // line (and only this one) falls back to console.warn.
    if (options.logger?.warn) log.warn(V1_DEPRECATION_WARNING);
    else console.warn(`[cloudagent-phone] ${V1_DEPRECATION_WARNING}`);
  }
  if (options.readBack !== false && !canReadBack) {
    log.debug('ambiguous mutations will not be read back', {
      reason: `the ${transport.name} transport cannot send a GET with a body (v2 get); use one whose capabilities.getWithBody is true`,
    });
  }

  // v1 has no get: lookups (read-back, and get itself) always go over v2.
  const encode = (op: PhoneOperation, credentials: Credentials) =>
    apiVersion === 'v1' && op.action !== 'get' ? encodeV1(op, credentials, encodeOptions) : encodeV2(op, credentials, encodeOptions);

  const delayFor = (retry: number, outcome: Outcome) =>
    backoffDelay(retry, {
      random: random(),
      ...(options.retryDelay?.baseMs !== undefined ? { baseMs: options.retryDelay.baseMs } : {}),
      ...(options.retryDelay?.maxMs !== undefined ? { maxMs: options.retryDelay.maxMs } : {}),
      ...(retryAfterOf(outcome) !== undefined ? { retryAfterMs: retryAfterOf(outcome) as number } : {}),
    });

  /** Sends one operation, with retries where core's policy allows them. Never throws for the network. */
  async function send(op: PhoneOperation, signal: AbortSignal | undefined, perAttemptMs: number): Promise<Sent> {
    let attempts = 0;
    let retries = 0;
    let rejectedToken: string | undefined;
    let sentToken: string | undefined;
    let tokenReplaced = false;
    let request: PlainRequest | undefined;
    const cancelled = (): Sent => ({
      outcome: failureOutcome({ code: 'aborted', delivery: 'not_sent' }, op.action),
      attempts,
      ...(request ? { request } : {}),
    });

    for (;;) {
      let credentials: Credentials;
      if (tokenProvider) {
        let token: string;
        try {
          token = await tokenProvider.getToken({ ...(rejectedToken !== undefined ? { rejected: rejectedToken } : {}), ...(signal ? { signal } : {}) });
        } catch (error) {
          if (signal?.aborted) return cancelled();
          // A custom provider or store that fails (a Durable Object or a file that cannot be read) is
          // trouble in the environment, not a programmer error: it becomes the call's outcome. Nothing
          // of the operation was sent.
          const outcome: Outcome =
            error instanceof TokenError
              ? createOutcome(op.action, error.outcome as never)
              : createOutcome(op.action, {
                  kind: 'server_error',
                  message: `could not obtain a token: ${error instanceof Error ? error.message : String(error)}`,
                  retryable: false,
                  cause: 'token_provider',
                });
          // Only a network failure or a 5xx on the token endpoint is worth a retry inside the call: the
          // hourly cap (ours, or the server's 429) frees up in minutes, and a refused key stays refused.
          if (outcome.kind === 'server_error' && mayRetry(outcome, retries, maxRetries)) {
            const delay = delayFor(retries++, outcome);
            log.warn('token generation failed; retrying', { kind: outcome.kind, delayMs: delay });
            try {
              await sleep(delay, signal);
            } catch {
              return cancelled();
            }
            continue;
          }
          return { outcome, attempts, ...(request ? { request } : {}) };
        }
        sentToken = token;
        rememberToken(token);
        credentials = { userName, token };
      } else {
        credentials = { userName, apiKey: options.apiKey as string };
      }

      request = encode(op, credentials);
      attempts++;
      const attempt = attemptSignal(perAttemptMs, signal);
      const started = now();
      let outcome: Outcome;
      try {
        const response = await sendWithin(transport, request, attempt.signal);
        outcome = classify(response, op.action, { now: now() });
      } catch (error) {
        if (error instanceof UnsupportedRequestError) throw error;
        // A custom transport that throws something else is treated as the worst case: it may have sent.
        const failure = error instanceof TransportError ? error.toFailure() : { code: 'network' as const, delivery: 'maybe_sent' as const };
        outcome = failureOutcome(failure, op.action);
      } finally {
        attempt.dispose();
      }
      log.debug('CloudAgent call', {
        action: op.action,
        attempt: attempts,
        transport: transport.name,
        method: request.method,
        url: request.url,
        kind: outcome.kind,
        httpStatus: outcome.httpStatus,
        cause: causeOf(outcome),
        durationMs: now() - started,
      });

      // CloudAgent checks the token before it looks at the operation, so an answer of "Token
      // Expired" or "Invalid Token" means nothing was applied: sending the same mutation once more
      // with a fresh token cannot apply it twice. Once only, so a token that keeps being refused
      // cannot loop (or burn the 10-per-hour generation budget).
      if (tokenProvider && isTokenRejection(outcome) && !tokenReplaced) {
        tokenReplaced = true;
        // This attempt's own token: another call may have moved on to a newer one meanwhile.
        rejectedToken = sentToken;
        log.info('CloudAgent refused the token; replacing it once', { vendorMessage: outcome.vendorMessage });
        continue;
      }
      if (signal?.aborted) return { outcome, attempts, request };
      if (mayRetry(outcome, retries, maxRetries)) {
        const delay = delayFor(retries++, outcome);
        log.warn('retrying', { action: op.action, kind: outcome.kind, cause: causeOf(outcome), delayMs: delay, retry: retries, maxRetries });
        try {
          await sleep(delay, signal);
        } catch {
          return cancelled();
        }
        continue;
      }
      return { outcome, attempts, request };
    }
  }

  async function readBack(op: PhoneOperation, signal: AbortSignal | undefined, perAttemptMs: number): Promise<ReadBackResult> {
    const outcomes: Outcome[] = [];
    let lookups = 0;
    for (const lookup of readBackLookups(op)) {
      const looked = await send(lookup, signal, perAttemptMs);
      lookups += looked.attempts;
      outcomes.push(looked.outcome);
    }
    return { ...judgeReadBack(op, outcomes), lookups };
  }

  /** Validates credentials and the operation; the operation when both are good. */
  function check(input: OperationInput): { ok: true; op: PhoneOperation } | { ok: false; issues: ValidationIssue[] } {
    const credentials = validateCredentials(
      tokenProvider && options.apiKey === undefined
        ? { userName, token: 'from-token-provider' } // only the user name is checked here
        : { userName, apiKey: options.apiKey },
    );
    if (!credentials.ok) return credentials;
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
        judged = await readBack(op, signal, perAttemptMs);
        outcome = settleByReadBack(op, outcome, judged);
        log.info('read back', { action: op.action, verdict: judged.verdict, kind: outcome.kind });
      } else if (ambiguous) {
        log.warn('the change may or may not have been applied and cannot be read back here', { action: op.action, transport: transport.name });
      }
    }

    const result: CallResult = {
      outcome,
      sent: sent.attempts > 0,
      ...(sent.request ? { request: sent.request } : {}),
      attempts: sent.attempts,
      durationMs: now() - started,
      ...(judged ? { readBack: judged } : {}),
    };
    return redact(result, { secrets: secrets() });
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
      return redact({ outcome, sent: false, attempts: 0, durationMs: now() - started }, { secrets: secrets() });
    }
    const signal = combine(options.signal, settleOptions.signal);
    const judged = await readBack(op, signal, perAttempt(settleOptions));
    const outcome = settleByReadBack(op, original, judged);
    log.info('settled by reading back', { action: op.action, verdict: judged.verdict, kind: outcome.kind });
    return redact({ outcome, sent: false, attempts: 0, durationMs: now() - started, readBack: judged }, { secrets: secrets() });
  }

  function prepare(input: OperationInput): PreparedCall {
    const action = (input as { action?: unknown } | null)?.action;
    assertCanGet(action, 'prepare');
    const checked = check(input);
    if (!checked.ok) return { ok: false, issues: checked.issues, outcome: redact(validationOutcome(checked.issues, action), { secrets: secrets() }) };
    // The token is fetched only when sending; the request shows where it would go.
    const credentials: Credentials = tokenProvider ? { userName, token: REDACTED } : { userName, apiKey: options.apiKey as string };
    return { ok: true, operation: checked.op, request: redact(encode(checked.op, credentials), { secrets: secrets() }) };
  }

  return {
    settle,
    prepare,
    createPhoneNumber: (input, callOptions) => run({ ...input, action: 'create' }, callOptions),
    editPhoneNumber: (input, callOptions) => run({ ...input, action: 'edit' }, callOptions),
    deletePhoneNumber: (input, callOptions) => run({ ...input, action: 'delete' }, callOptions),
    getPhoneNumber: (input, callOptions) => run({ ...input, action: 'get' }, callOptions),
    run,
  };
}
