import { V1_PATH, classify, fromV1Params, rawQueryOf, redact, type OutcomeKind, type PhoneAction } from '@cloudagent-phone/core';
import { createJsonLogger, memoryAccountTokens, secretsMatch, type AccountTokenSource, type JsonLogger, type LogSink } from '@cloudagent-phone/server';
import { createClientWithTransport, UnsupportedRequestError, type CallResult, type Logger, type Transport } from '@cloudagent-phone/transport';
import { presentedToken } from './admin-auth.js';
import { answerFromV2 } from './answer-from-v2.js';
import { MAX_BODY_BYTES, MAX_QUERY_BYTES, type ShimConfig } from './config.js';
import { deprecationHeaders } from './deprecation.js';
import { passThroughToV1 } from './legacy.js';
import type { ShimMetrics } from './metrics.js';
import { asFormEncoded } from './multipart-form.js';
import type { ShimQuirk, TranslationMismatch } from './quirks.js';
import { createRouter, type ExecutionContextLike, type RouteCall } from './router.js';
import { routeFor } from './routing.js';
import { readBodyWithin } from './read-body.js';
import { TranslationLog, clip } from './translation-log.js';
import { canonicalV1Name, translateV1, type Translation } from './translate.js';
import { SHIM_MESSAGES, refusedRequestAnswer, unavailableAnswer, unknownOutcomeAnswer, v1Body, type V1Answer } from './v1-answer.js';
import { readV1Request, type V1Parameters } from './v1-request.js';
import type { DashboardAssets } from './dashboard/assets.js';
import { registerDashboard } from './dashboard/routes.js';
import { hasValidSession } from './dashboard/session.js';
import { CountingMetrics } from './usage/counting-metrics.js';
import { buildMigrationReport, type MigrationReport } from './usage/migration-report.js';
import { UsageBatcher } from './usage/usage-batcher.js';
import { keepFrom } from './usage/usage-row.js';
import { MemoryUsageStore, type UsageStore } from './usage/usage-store.js';

export interface ShimOptions {
  config: ShimConfig;
  /** Carries calls to v2. Node: the node:http transport; Workers: the socket transport (both send v2's GET-with-body, so both read back). */
  v2Transport: Transport;
  /** Carries pass-through calls to the legacy host. Default: `v2Transport`. */
  v1Transport?: Transport;
  /** Where log lines go (one JSON line per call). Default: console (console.error and console.warn for those levels). */
  log?: LogSink;
  /** Clock, ms. Default Date.now. */
  now?: () => number;
  /**
   * Tokens for SHIM_TOKEN_ACCOUNTS, per (account, key). Default one holder in this process's memory
   * (Node); the Worker passes the AccountTokens Durable Object (`durableAccountTokens`).
   */
  tokens?: AccountTokenSource;
  /**
   * Where the durable counts go (the control room reads them): the Node server's file store, the
   * Worker's Durable Object. Default: in this process's memory only.
   */
  usageStore?: UsageStore;
  /**
   * The control room's static files (assets/_shim/dashboard): the Worker's ASSETS binding, or
   * `fileDashboardAssets()` on Node (startShim's default). Without them /_shim/dashboard answers 404.
   */
  dashboardAssets?: DashboardAssets;
}

export type { ExecutionContextLike } from './router.js';

export interface Shim {
  fetch: (request: Request, env?: unknown, ctx?: ExecutionContextLike) => Promise<Response>;
  metrics: ShimMetrics;
  translations: TranslationLog;
  /** The durable counts: `flush()` sends what is still batched; `report()` is what /_shim/metrics returns. */
  usage: { flush(): Promise<void>; report(): Promise<MigrationReport> };
  /** Resolves when background work (shadow reads) has finished: for tests and graceful shutdown. */
  idle(): Promise<void>;
}

interface Handled {
  answer: V1Answer | { raw: { status: number; body: string; contentType?: string } };
  route: string;
  action: string;
  /** The userName as sent (caller input: never a label until CloudAgent accepts it). */
  userName: string | undefined;
  /** CloudAgent's answer shows the account is real (see acceptsAccount). */
  accepted?: boolean;
  quirks: ShimQuirk[];
  mismatches: TranslationMismatch[];
  secrets: (string | undefined)[];
  extra?: Record<string, unknown>;
}

const ADMIN = '/_shim';

/**
 * Answers that prove the user name and key are a real account: CloudAgent did the work or looked
 * the record up. Only these make a user name a metrics label; a refusal of any kind does not.
 */
function acceptsAccount(kind: OutcomeKind | undefined): boolean {
  return kind === 'success' || kind === 'partial_success' || kind === 'conflict' || kind === 'limit_exceeded';
}

/**
 * The v1 front door: answers `/CAServices/PhoneManageV2.php` exactly as v1 did and fulfils every call
 * through v2 (or, per account, passes it through to the legacy host). Runtime-neutral: Node and
 * Workers entries only choose the transports.
 */
export function createShim(options: ShimOptions): Shim {
  const { config, v2Transport } = options;
  const v1Transport = options.v1Transport ?? v2Transport;
  const now = options.now ?? Date.now;
  const logger: JsonLogger = createJsonLogger({ sink: options.log, secrets: [config.adminToken] });
  const usageStore = options.usageStore ?? new MemoryUsageStore();
  const batcher = new UsageBatcher({
    store: usageStore,
    now,
    flushMs: config.usageFlushMs,
    onLostBatch: (rows, error) => logger.log('warn', 'usage batch lost', { rows, error: error instanceof Error ? error.message : String(error) }),
  });
  // Accounts the operator named are real: labelled from the first call.
  const metrics: ShimMetrics = new CountingMetrics(now(), batcher, [...config.accountModes.keys(), ...config.disabledAccounts.keys()]);
  const usage = {
    flush: () => batcher.flush(),
    async report(): Promise<MigrationReport> {
      // This isolate's own batch first, so its latest calls are in; others' are at most usageFlushMs behind.
      await batcher.flush();
      const at = now();
      const rows = await usageStore.read(keepFrom(at));
      return buildMigrationReport(rows, { now: at, readyAfterDays: config.readyAfterDays, rollout: { percent: config.rolloutPercent, mode: config.mode, killSwitch: config.killSwitch } });
    },
  };
  const translations = new TranslationLog(config.translationLogSize, config.translationLogBytes);
  for (const problem of config.problems) logger.log('warn', 'configuration problem', { problem });
  const pending = new Set<Promise<unknown>>();
  // Calls that reached the point of sending (to v2 or the legacy host): past it, an error of the
  // shim's own must not tell the caller that nothing was changed.
  const mayHaveSent = new WeakSet<Request>();
  const deprecation = deprecationHeaders({ migrationGuideUrl: config.migrationGuideUrl, sunsetAt: config.sunsetAt });
  let tokens = options.tokens;
  const tokensFor = (userName: string, apiKey: string) => {
    tokens ??= memoryAccountTokens(
      { baseUrl: config.v2BaseUrl, timeoutMs: config.timeoutMs },
      { transport: v2Transport, logger: { info: (m, f) => logger.log('info', m, { source: 'tokens', ...f }), warn: (m, f) => logger.log('warn', m, { source: 'tokens', ...f }) } },
    );
    return tokens(userName, apiKey);
  };

  function clientFor(userName: string, apiKey: string) {
    const clientLogger: Logger = {
      info: (message, fields) => logger.log('info', message, { source: 'client', ...fields }, [apiKey]),
      warn: (message, fields) => logger.log('warn', message, { source: 'client', ...fields }, [apiKey]),
      error: (message, fields) => logger.log('error', message, { source: 'client', ...fields }, [apiKey]),
    };
    // maxRetries 0: a legacy caller sends mutations with GET, and nothing here may send one twice.
    // The caller gets a clear answer (safe to retry, or check first) and decides. The client reads
    // an ambiguous answer back (where the transport can send v2's get), but not an "already exist":
    // v1 answered that as "already exist", and so does this door.
    // Token accounts: the caller's key buys a token (generateToken), shared per (account, key).
    const auth = config.tokenAccounts.has(userName) ? ({ auth: 'token', tokenProvider: tokensFor(userName, apiKey) } as const) : {};
    return createClientWithTransport({
      userName,
      apiKey,
      ...auth,
      baseUrl: config.v2BaseUrl,
      transport: v2Transport,
      timeoutMs: config.timeoutMs,
      maxRetries: 0,
      readBackConflicts: false,
      logger: clientLogger,
    });
  }

  /**
   * Called right after counting, in the same turn: if those counts started a batch, this request's
   * context keeps the isolate up until it is sent (Workers). Node has no context; its timer sends it.
   */
  function keepAliveForBatch(ctx: ExecutionContextLike | undefined) {
    const batch = batcher.claim();
    if (batch && ctx) ctx.waitUntil(batch);
  }

  function background(work: Promise<unknown>, ctx: ExecutionContextLike | undefined) {
    const tracked = work.catch(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
    ctx?.waitUntil(tracked);
  }

  /** Shadow mode: after v1 applied a create or edit, read the record from v2 and compare. Reads only. */
  function shadowRead(t: Extract<Translation, { ok: true }>, account: string, ctx: ExecutionContextLike | undefined) {
    // The legacy host accepted this account (a v1 success), so its name is a real label.
    const op = t.operation;
    if (op.action === 'delete') return;
    const number = op.action === 'edit' ? op.phoneNumberNew ?? op.phoneNumber : op.phoneNumber;
    const expectedName = op.action === 'edit' ? op.phoneNameNew ?? op.phoneName : op.phoneName;
    if (!v2Transport.capabilities.getWithBody || number === undefined) {
      metrics.recordCall({ account, action: 'get', route: 'shadow-read', outcome: 'skipped' });
      return;
    }
    background(
      (async () => {
        const result = await clientFor(t.credentials.userName, t.credentials.apiKey).getPhoneNumber({ phoneNumber: number });
        metrics.recordV2Call();
        const found = result.outcome.kind === 'success' ? result.outcome.data : undefined;
        const same = found !== undefined && expectedName !== undefined && found.phoneName.toLowerCase() === expectedName.toLowerCase();
        metrics.recordCall({ account, action: 'get', route: 'shadow-read', outcome: same ? 'match' : 'mismatch' });
        if (!same) metrics.recordMismatches(account, ['shadow-mismatch']);
        keepAliveForBatch(ctx);
      })(),
      ctx,
    );
  }

  async function viaV1(parsed: V1Parameters, method: string, contentType: string | undefined, body: string, base: Omit<Handled, 'answer' | 'route'>, shadow: boolean, ctx: ExecutionContextLike | undefined): Promise<Handled | undefined> {
    const passed = await passThroughToV1(v1Transport, config.v1BaseUrl as string, { method, rawQuery: parsed.rawQuery, ...(contentType ? { contentType } : {}), body }, config.timeoutMs);
    metrics.recordPassThrough();
    if (passed.kind === 'gone') return undefined; // the caller falls back to v2
    if (passed.kind === 'maybe_sent') return { ...base, route: shadow ? 'shadow' : 'v1', answer: unknownOutcomeAnswer(), extra: { legacy: passed.detail } };
    const { response } = passed;
    const known = base.action === 'create' || base.action === 'edit' || base.action === 'delete';
    const outcome = known ? classify(response, base.action as PhoneAction) : undefined;
    if (shadow && outcome?.kind === 'success') {
      const t = translateV1(parsed.params, parsed);
      if (t.ok) shadowRead(t, metrics.verify(base.userName), ctx);
    }
    return {
      ...base,
      accepted: acceptsAccount(outcome?.kind),
      route: shadow ? 'shadow' : 'v1',
      answer: { raw: { status: response.status, body: response.body, ...(response.headers['content-type'] ? { contentType: response.headers['content-type'] } : {}) } },
      extra: { outcome: outcome?.kind ?? 'passed-through' },
    };
  }

  async function viaV2(t: Translation, route: string, base: Omit<Handled, 'answer' | 'route'>, params: Record<string, string>): Promise<Handled> {
    if (!t.ok) return { ...base, route: 'local', answer: t.answer, quirks: t.quirks, mismatches: t.mismatches };
    const { userName, apiKey } = t.credentials;
    const client = clientFor(userName, apiKey);
    // The client reads an ambiguous answer (a dropped connection, a 5xx, a gateway's page) back.
    const result: CallResult = await client.run(t.operation as Parameters<ReturnType<typeof createClientWithTransport>['run']>[0]);
    const settled = { outcome: result.outcome, verdict: result.readBack?.verdict };
    for (let i = 0; i < result.attempts + (result.readBack?.lookups ?? 0); i++) metrics.recordV2Call();
    // Whether the call got as far as the transport (`result.sent` says more: whether it may have
    // reached CloudAgent; a refused connection is handed over, answered from v2's outcome, but not sent).
    const handedOver = result.attempts > 0;
    // Not sent because no token could be had (a refused key, the hourly cap, CAToken unreachable):
    // nothing was applied, and v1's words say so ("userName or apiKey not valid", "Max limit exceeded").
    const tokenFailure = config.tokenAccounts.has(userName) && !handedOver && result.outcome.kind !== 'validation_error';
    const answer = handedOver || tokenFailure
      ? answerFromV2(settled.outcome, t.operation.action, { skillsDropped: t.skillsDropped })
      : ({ httpStatus: 200, status: 'error', message: result.outcome.message, outcome: 'rejected-locally', v1Message: false } satisfies V1Answer);
    const mismatches = [...t.mismatches];
    if (!answer.v1Message && !mismatches.includes('no-v1-message')) mismatches.push('no-v1-message');
    const accepted = handedOver && acceptsAccount(settled.outcome.kind);
    // Recorded only once CloudAgent accepted the key (a wrong key records nothing), with only the
    // v1 parameters the shim knows, each clipped: the log stays small whatever callers send.
    if (route === 'verify' && accepted) {
      const request = result.request ? redact(result.request, { secrets: [apiKey] }) : undefined;
      translations.add({
        at: new Date(now()).toISOString(),
        account: metrics.verify(userName),
        action: t.action,
        v1Params: redact(knownV1Params(params), { secrets: [apiKey] }),
        ...(request ? { v2Request: { ...request, ...(request.body !== undefined ? { body: clip(request.body) } : {}) } } : {}),
        quirks: t.quirks,
        mismatches,
        v2Outcome: settled.outcome.kind,
        answer: { httpStatus: answer.httpStatus, body: v1Body(answer) },
      });
    }
    return {
      ...base,
      route,
      answer,
      accepted,
      quirks: t.quirks,
      mismatches,
      extra: { v2Outcome: settled.outcome.kind, attempts: result.attempts, ...(settled.verdict ? { readBack: settled.verdict } : {}) },
    };
  }

  async function handleV1(call: RouteCall): Promise<Response> {
    const { request, ctx } = call;
    const started = now();
    const method = request.method;
    // A v1 GET mutates, so HEAD (a link checker, a monitor) must never run it.
    if (method !== 'GET' && method !== 'POST') return refuse(call, 405, 'method-not-allowed', started, { allow: 'GET, POST' });
    // Sizes before anything is read: a v1 call is a few short parameters (see config.ts).
    if (new TextEncoder().encode(rawQueryOf(request.url)).length > MAX_QUERY_BYTES) return refuse(call, 414, 'uri-too-long', started);
    const contentType = request.headers.get('content-type') ?? undefined;
    let body = '';
    if (method === 'POST') {
      const read = await readBodyWithin(request, { maxBytes: MAX_BODY_BYTES, timeoutMs: config.bodyTimeoutMs });
      if (read.kind === 'too_large') return refuse(call, 413, 'body-too-large', started);
      if (read.kind === 'timeout') return refuse(call, 408, 'body-timeout', started);
      // The caller went away mid-body: nothing was sent, nobody is listening. Info, not an error:
      // any client can do it at will.
      if (read.kind === 'aborted') return refuse(call, 400, 'client-aborted', started);
      // Bytes then UTF-8, as text() does, without workerd's warning about text() on a multipart body.
      body = new TextDecoder().decode(read.bytes);
    }
    const form = method === 'POST' ? await asFormEncoded(contentType, body) : { contentType, body };
    const parsed = readV1Request({ method, url: request.url, ...(form.contentType ? { contentType: form.contentType } : {}), body: form.body });
    const v1 = fromV1Params(parsed.params);
    const action = typeof v1.operation.action === 'string' && ['create', 'edit', 'delete'].includes(v1.operation.action) ? v1.operation.action : 'invalid';
    const base = { action, userName: v1.userName, quirks: parsed.quirks, mismatches: parsed.mismatches, secrets: [v1.apiKey] };

    let handled: Handled | undefined;
    const route = routeFor(v1.userName ?? '', config);
    if (route.mode === 'unavailable') {
      handled = { ...base, route: route.reason === 'misconfigured' ? 'misconfigured' : 'unavailable', answer: unavailableAnswer() };
    } else if (route.mode === 'v1' || route.mode === 'shadow') {
      mayHaveSent.add(request);
      handled = await viaV1(parsed, method, contentType, body, base, route.mode === 'shadow', ctx);
    }
    if (!handled) {
      const fellBack = route.mode === 'v1' || route.mode === 'shadow';
      const t = translateV1(parsed.params, parsed);
      if (t.ok) mayHaveSent.add(request);
      handled = await viaV2(t, fellBack ? 'v1-fallback' : route.mode === 'verify' ? 'verify' : 'v2', base, parsed.params);
    }
    return respond(handled, ctx, started);
  }

  /** A request refused before it was read or routed: v1's envelope, nothing sent, one shared label. */
  function refuse({ request }: RouteCall, status: 405 | 414 | 413 | 408 | 400, reason: keyof typeof REFUSALS, started: number, headers: Record<string, string> = {}): Response {
    const answer = refusedRequestAnswer(status, REFUSALS[reason]);
    metrics.recordCall({ account: '(none)', action: 'invalid', route: 'refused', outcome: reason });
    logger.log('info', 'v1 call refused', { reason, httpStatus: status, method: request.method, durationMs: now() - started });
    // Connection: close after a refused body: what was not read is not worth reading.
    const close: Record<string, string> = status === 413 || status === 408 || status === 400 ? { connection: 'close' } : {};
    return new Response(v1Body(answer), { status, headers: { ...deprecation, ...answer.headers, ...headers, ...close, 'content-type': 'application/json' } });
  }

  function respond(h: Handled, ctx: ExecutionContextLike | undefined, started: number): Response {
    let status: number;
    let text: string;
    let contentType = 'application/json';
    let outcome: string;
    const headers: Record<string, string> = { ...deprecation };
    if ('raw' in h.answer) {
      status = h.answer.raw.status;
      text = h.answer.raw.body;
      contentType = h.answer.raw.contentType ?? contentType;
      outcome = String(h.extra?.outcome ?? 'passed-through');
    } else {
      status = h.answer.httpStatus;
      text = v1Body(h.answer);
      outcome = h.answer.outcome;
      Object.assign(headers, h.answer.headers);
    }
    headers['content-type'] = contentType;
    const account = h.accepted ? metrics.verify(h.userName) : metrics.account(h.userName);
    metrics.recordCall({ account, action: h.action, route: h.route, outcome });
    metrics.recordQuirks(account, h.quirks);
    metrics.recordMismatches(account, h.mismatches);
    // Off the request path: the answer goes now; the batch with this call's counts follows.
    keepAliveForBatch(ctx);
    logger.log(
      status >= 500 ? 'warn' : 'info',
      'v1 call',
      { account, action: h.action, route: h.route, outcome, httpStatus: status, durationMs: now() - started, quirks: h.quirks, mismatches: h.mismatches, ...h.extra },
      h.secrets,
    );
    return new Response(text, { status, headers });
  }

  async function admin({ request, path }: RouteCall, view: () => unknown): Promise<Response> {
    if (!config.adminToken) return Response.json({ error: 'not found' }, { status: 404 });
    // The bearer token (scripts, the CLI) or the dashboard's signed session cookie (its page reads /_shim/metrics).
    const allowed = (await secretsMatch(presentedToken(request.headers), config.adminToken)) || (await hasValidSession(request.headers.get('cookie'), config.adminToken, now()));
    if (!allowed) {
      return Response.json({ error: 'admin token missing or wrong: send Authorization: Bearer <SHIM_ADMIN_TOKEN>' }, { status: 401 });
    }
    let body: unknown;
    try {
      body = await view();
    } catch (error) {
      // The durable store (the aggregator object, the data directory) did not answer: say so, not "internal error in the v1 shim".
      logger.log('error', 'admin view failed', { path, error: error instanceof Error ? error.message : String(error) });
      return Response.json({ error: 'the usage counts could not be read right now; try again (the shim logs why)' }, { status: 503 });
    }
    return Response.json(body);
  }

  const router = createRouter((error, { request, path }) => {
    try {
      // No secrets are known here, so the patterns do the work; the URL is never logged.
      logger.log('error', 'unhandled error', { path, error: error instanceof Error ? error.message : String(error) });
    } catch {
      // A failing log sink must not stop the caller from getting an answer.
    }
    // Still the v1 door: its callers' tooling looks for the deprecation headers on every answer.
    const headers: Record<string, string> = path === V1_PATH ? { ...deprecation } : {};
    // (UnsupportedRequestError is raised by a transport before anything leaves.)
    if (mayHaveSent.has(request) && !(error instanceof UnsupportedRequestError)) {
      // The call may have been applied before the shim failed: "check first", never "nothing changed".
      const answer = unknownOutcomeAnswer();
      return new Response(v1Body(answer), { status: answer.httpStatus, headers: { ...headers, ...answer.headers, 'content-type': 'application/json' } });
    }
    return new Response(v1Body({ status: 'error', message: SHIM_MESSAGES.internal }), { status: 500, headers: { ...headers, 'content-type': 'application/json' } });
  });
  // Every method: HEAD and the rest get 405 from handleV1.
  router.on('ALL', V1_PATH, handleV1);
  // Anyone may ask: a count of problems, never the accounts they concern (the log names them).
  router.on('GET', `${ADMIN}/health`, () => Response.json(config.problems.length === 0 ? { status: 'ok' } : { status: 'degraded', problems: config.problems.length }));
  router.on('GET', `${ADMIN}/metrics`, (call) => admin(call, () => usage.report()));
  router.on('GET', `${ADMIN}/translations`, (call) => admin(call, () => ({ translations: translations.list() })));

  registerDashboard(router, { adminToken: config.adminToken, now, assets: options.dashboardAssets });

  return {
    // The env is the runtime's (Worker bindings, node-server's request): the shim reads none of it.
    fetch: (request, _env, ctx) => router.fetch(request, ctx),
    metrics,
    translations,
    usage: { flush: usage.flush, report: usage.report },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
      await batcher.drain();
    },
  };
}

/** The words of each refusal, in v1's envelope. Nothing was read past the limit, nothing was sent. */
const REFUSALS = {
  'method-not-allowed': 'method not allowed: the v1 endpoint takes GET or POST; nothing was changed',
  'uri-too-long': `request URL too long: a v1 call's query is under ${MAX_QUERY_BYTES} bytes; nothing was sent`,
  'body-too-large': `request body too large: a v1 call's body is under ${MAX_BODY_BYTES} bytes; nothing was sent`,
  'body-timeout': 'request body not received in time; nothing was sent, send the request again',
  'client-aborted': 'request body incomplete: the connection closed before it arrived; nothing was sent',
} as const;

/** The v1 parameters the shim knows, credentials removed, each value clipped: what a translation record keeps. */
function knownV1Params(params: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = canonicalV1Name(key);
    if (name === undefined || name === 'apiKey') continue;
    Object.defineProperty(kept, key, { value: clip(value), enumerable: true, writable: true, configurable: true });
  }
  return kept;
}
