// The order of these imports is the order of the Worker's modules, and so what gzip's window sees
// together: Hono first (router.ts), then the packages, then problem.ts and outcome-response.ts, measured about
// 0.23 KB smaller than core first (docs/decisions.md "Worker bundles": compression luck, can drift).
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from './router.js';
import { RULES, isAmbiguous, isMutation, redact, userNameSchema, validateOperation, type Outcome, type PhoneOperation } from '@cloudagent-phone/core';
import { createJsonLogger, keyHash, type JsonLogger, type LogSink } from '@cloudagent-phone/server';
import { GET_WITH_BODY_FIX, createClientWithTransport, type PhoneClient, type TokenProvider, type Transport } from '@cloudagent-phone/transport';
import { problem, problemResponse, ProblemError, type FieldError } from './problem.js';
import { answerFor, timedOutOutcome, timeoutAnswer } from './outcome-response.js';
import { cors } from './cors.js';
import { secureHeaders } from './secure-headers.js';
import { auditQueryFrom, auditRecordFor } from './audit/record.js';
import type { AuditStore } from './audit/store.js';
import { BODY_LIMIT_BYTES, limitBody, readJsonObject } from './body.js';
import type { AccountConfig, EdgeConfig, TeamConfig } from './config.js';
import { idempotencyKeys, type KeyedRequest } from './idempotency/middleware.js';
import { settleByReadingBack } from './idempotency/settle.js';
import type { IdempotencyStore } from './idempotency/store.js';
import type { RateLimiter } from './rate-limit/limiter.js';
import { requestIdFrom } from './request-id.js';
import { STATIC_FILE_NAME, type StaticFiles } from './static-files.js';
import { authenticateTeam, limitTeamRate, type TokenHasher } from './team-auth.js';
import { callWithDeadline } from './call-with-deadline.js';

export interface EdgeAppOptions {
  config: EdgeConfig;
  /**
   * How to reach CloudAgent: the runtime's (node:http on Node, the socket transport on Workers; a
   * fetch transport over a simulator's `fetch` runs without sockets). No default, so no transport
   * the Worker does not use is in its bundle.
   */
  transport: Transport;
  /** Per-team request counting: in memory on Node (exact within one process), the Durable Object on Workers. */
  rateLimiter: RateLimiter;
  /** Token-auth accounts: where their shared token comes from. Default: one token manager per client. */
  tokenProvider?: (account: AccountConfig) => TokenProvider | undefined;
  /** Where log lines go. Default: console. */
  logSink?: LogSink;
  /** SHA-256 hex of a team token (and of idempotency fingerprints). Default: Web Crypto. */
  hashToken?: TokenHasher;
  /** Where /openapi.json and the /docs page come from (public/). Without it those routes are 404. */
  staticFiles?: StaticFiles;
  /**
   * Idempotency keys per team: the TeamLedger Durable Object (Workers) or memory (Node). No default,
   * so the Worker's bundle does not carry the memory store.
   */
  idempotencyStore: IdempotencyStore;
  /** The audit trail per team, likewise. */
  auditStore: AuditStore;
  /** The clock for key expiry and audit times. Default: Date.now. */
  now?: () => number;
  /**
   * The /bulk-jobs routes (Node: bulk-jobs/routes.ts over node-jobs.ts), given the team check
   * (token, then the team's rate). Absent (Workers, for now): no bulk jobs.
   */
  bulkJobs?: (teamAuth: MiddlewareHandler<{ Variables: EdgeVariables }>) => Hono<{ Variables: EdgeVariables }>;
}

export interface EdgeVariables {
  requestId: string;
  team?: TeamConfig;
  userName?: string;
  outcome?: string;
  /** Set by the idempotency middleware on a request with a valid Idempotency-Key. */
  idempotency?: KeyedRequest;
  /** Core's outcome of what was sent to CloudAgent (or read back), once it is known. */
  sent?: Outcome;
}

export type EdgeHono = Hono<{ Variables: EdgeVariables }>;
type EdgeContext = Context<{ Variables: EdgeVariables }>;

function invalid(errors: FieldError[]): ProblemError {
  return new ProblemError(problem('invalidInput', errors.map((e) => e.message).join('; '), { errors }));
}

/**
 * The reference page may only load its own files; Swagger UI sets inline styles and draws icons as
 * data: URIs, and fetches /openapi.json.
 */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Answers a known path called with a method it does not take: 405 and the ones it does (RFC 9110), not 404. */
export const methodNotAllowed = (allow: string) => (c: Context) =>
  problemResponse(c, problem('methodNotAllowed', `${c.req.method} is not supported here; use ${allow.split(', ').join(' or ')}`), { allow });

/** The parts every app shares, configured or not: request ids, logging, secure headers, errors, public files. */
export function createBaseApp(logger: JsonLogger, options: { corsOrigins?: readonly string[]; staticFiles?: StaticFiles } = {}): EdgeHono {
  const corsOrigins = options.corsOrigins ?? [];
  const app: EdgeHono = new Hono<{ Variables: EdgeVariables }>();
  app.use(async (c, next) => {
    const started = Date.now();
    const requestId = requestIdFrom(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    await next();
    // Not Hono's logger(): it prints the whole URL, and a URL may carry a key.
    logger.log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Date.now() - started,
      // Unset ones are left out of the line (JSON drops undefined members).
      team: c.get('team')?.name,
      userName: c.get('userName'),
      outcome: c.get('outcome'),
    });
  });
  app.use(secureHeaders());
  if (corsOrigins.length > 0) {
    app.use(cors(corsOrigins));
  }

  app.notFound((c) => problemResponse(c, problem('notFound', `no route for ${c.req.method} ${c.req.path}; see /openapi.json`)));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error.problem, error.headers);
    // Logged (redacted, without the stack) for the operator; the caller only learns the request id.
    logger.log('error', 'unhandled error', { requestId: c.get('requestId'), error: `${error.name}: ${error.message}` });
    return problemResponse(c, problem('internal', 'something went wrong on the edge; quote the request id when reporting it'));
  });
  const files = options.staticFiles;
  if (files) {
    const serve = async (c: EdgeContext, path: string, headers: Record<string, string> = {}) => {
      const file = await files(path);
      if (!file) return problemResponse(c, problem('notFound', `no file ${c.req.path}; the reference page is at /docs`));
      return c.body(file.body, 200, { 'content-type': file.contentType, ...headers });
    };
    app.get('/openapi.json', (c) => serve(c, '/openapi.json'));
    app.get('/docs', (c) => serve(c, '/docs/index.html', { 'content-security-policy': DOCS_CSP }));
    app.get('/docs/:file', (c) => {
      const name = c.req.param('file');
      return STATIC_FILE_NAME.test(name) ? serve(c, `/docs/${name}`) : problemResponse(c, problem('notFound', `no file ${c.req.path}; the reference page is at /docs`));
    });
    app.all('/openapi.json', methodNotAllowed('GET'));
    app.all('/docs', methodNotAllowed('GET'));
    app.all('/docs/:file', methodNotAllowed('GET'));
  }
  return app;
}



/** The edge app for a valid configuration. Runtime-neutral: the Worker and Node entries wire it up. */
export function createEdgeApp(options: EdgeAppOptions): EdgeHono {
  const { config } = options;
  const secrets = [...config.accounts.values()].map((a) => a.apiKey);
  const logger = createJsonLogger({ secrets, sink: options.logSink });
  const { transport, rateLimiter } = options;
  const clients = new Map<string, PhoneClient>();
  const now = options.now ?? Date.now;
  const hash = options.hashToken ?? keyHash;
  const { auditStore } = options;

  function clientFor(account: AccountConfig): PhoneClient {
    let client = clients.get(account.userName);
    if (!client) {
      const tokenProvider = account.auth === 'token' ? options.tokenProvider?.(account) : undefined;
      client = createClientWithTransport({
        userName: account.userName,
        apiKey: account.apiKey,
        auth: account.auth,
        ...(tokenProvider ? { tokenProvider } : {}),
        baseUrl: config.baseUrl,
        transport,
        // The edge's own deadline (callWithDeadline) is the one that counts; this is a backstop.
        timeoutMs: config.timeoutMs + 1_000,
        // The caller decides about retrying; the edge answers with what it knows, promptly. An
        // ambiguous mutation is read back (when the transport can send v2's get) before answering,
        // within the same deadline: one lookup often turns "unknown" into the truth.
        maxRetries: 0,
        logger: {
          warn: (message, fields) => logger.log('warn', message, fields),
          error: (message, fields) => logger.log('error', message, fields),
        },
      });
      clients.set(account.userName, client);
    }
    return client;
  }

  async function send(c: EdgeContext, account: AccountConfig, operation: PhoneOperation): Promise<Response> {
    // A replay of an ambiguous answer reads back instead (idempotency/middleware.ts): never sends.
    const settling = c.get('idempotency')?.settling;
    const upstream = settling
      ? { timedOut: false as const, result: await settleByReadingBack(clientFor(account), operation, settling.original, config.timeoutMs) }
      : await callWithDeadline(clientFor(account), operation, config.timeoutMs);
    if (!upstream.timedOut && upstream.result.issues && upstream.result.issues.length > 0) throw invalid(upstream.result.issues);
    const sent = upstream.timedOut ? timedOutOutcome(operation.action) : upstream.result.outcome;
    const answer = upstream.timedOut ? timeoutAnswer(sent, operation.action, config.timeoutMs) : answerFor(sent, operation.action);
    c.set('sent', sent);
    c.set('outcome', answer.ok ? String(answer.body.outcome) : String(answer.problem.outcome ?? answer.problem.type));
    // A replay that still cannot tell changes nothing anyone knows: no new audit entry.
    if (isMutation(operation.action) && !(settling && isAmbiguous(sent))) {
      await audit(c, account, operation, answer.ok ? 200 : answer.problem.status, settling?.firstRequestId);
    }
    if (!answer.ok) return problemResponse(c, answer.problem, answer.headers);
    return c.json({ ...answer.body, requestId: c.get('requestId') });
  }

  /** One audit entry per mutation sent; a failure to write it is logged, never turned into the caller's error. */
  async function audit(c: EdgeContext, account: AccountConfig, operation: PhoneOperation, status: number, settles: string | undefined): Promise<void> {
    const team = c.get('team')!.name;
    const record = auditRecordFor(operation, { time: now(), team, userName: account.userName, outcome: c.get('outcome')!, status, requestId: c.get('requestId'), ...(settles ? { settles } : {}) });
    try {
      await auditStore.append(team, redact(record, { secrets }));
    } catch (error) {
      logger.log('error', 'audit entry not written', { requestId: c.get('requestId'), team, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Why the request's userName cannot name an account: nothing when it can. */
  function userNameIssues(userName: unknown): FieldError[] {
    if (userNameSchema.safeParse(userName).success) return [];
    return [
      userName === undefined
        ? { field: 'userName', rule: 'required', message: 'userName is required: the CloudAgent account to act on' }
        : { field: 'userName', rule: RULES.userName.id, message: `userName ${RULES.userName.message}` },
    ];
  }

  /** The account named by the request (already checked by userNameIssues), which the caller's team must be granted. */
  function accountFor(c: EdgeContext, userName: unknown): AccountConfig {
    const parsed = userNameSchema.safeParse(userName);
    if (!parsed.success) throw invalid(userNameIssues(userName));
    c.set('userName', parsed.data);
    const team = c.get('team')!;
    if (!team.userNames.includes(parsed.data)) {
      throw new ProblemError(problem('forbidden', `team "${team.name}" is not granted the account "${parsed.data}"; ask the edge's operator to add it to the team in TEAMS`));
    }
    const account = config.accounts.get(parsed.data);
    if (!account) {
      // Granted, but its entry in CLOUDAGENT_ACCOUNTS is wrong or missing: only this account is off.
      const why = config.disabledAccounts.has(parsed.data) ? 'its entry in CLOUDAGENT_ACCOUNTS is invalid' : 'it is missing from CLOUDAGENT_ACCOUNTS';
      throw new ProblemError(problem('misconfigured', `the account "${parsed.data}" is not available: ${why}; nothing was sent. The edge's log says what to fix; ask its operator`));
    }
    return account;
  }

  /** A body field the route fills itself (the path number, the method's action) must not be sent. */
  function routeFieldIssues(body: Record<string, unknown>, fields: string[]): FieldError[] {
    return fields
      .filter((f) => f in body)
      .map((field) => ({
        field,
        rule: 'set-by-route',
        message: field === 'action' ? 'action is set by the HTTP method; leave it out of the body' : `${field} is given in the URL path; leave it out of the body`,
      }));
  }

  /**
   * A mutation's body, checked all at once so one 400 names every field that is wrong (the route's
   * own fields, userName, and the operation's), and only then the team's grant (403).
   */
  function mutationFrom(c: EdgeContext, body: Record<string, unknown>, action: 'create' | 'edit' | 'delete', routeFields: string[]): { account: AccountConfig; operation: PhoneOperation } {
    const { userName, ...fields } = body;
    for (const field of routeFields) delete fields[field];
    const input = { ...fields, action, ...(action === 'create' ? {} : { phoneNumber: pathNumber(c) }) };
    const result = validateOperation(input);
    const issues = [...routeFieldIssues(body, routeFields), ...userNameIssues(userName), ...(result.ok ? [] : result.issues)];
    if (issues.length > 0 || !result.ok) throw invalid(issues);
    return { account: accountFor(c, userName), operation: result.value };
  }

  function pathNumber(c: EdgeContext): string {
    return c.req.param('phoneNumber') ?? '';
  }

  const app = createBaseApp(logger, { corsOrigins: config.corsOrigins, ...(options.staticFiles ? { staticFiles: options.staticFiles } : {}) });
  // Contained configuration faults: named once in the operator's log, only counted for anyone else.
  for (const issue of config.problems) logger.log('warn', 'configuration problem', { ...issue });
  const usableTeams = config.teams.filter((t) => !t.disabled).length;
  app.get('/healthz', (c) =>
    c.json({
      status: config.problems.length === 0 ? 'ok' : 'degraded',
      accounts: config.accounts.size,
      teams: usableTeams,
      ...(config.problems.length > 0 ? { problems: config.problems.length } : {}),
    }),
  );
  app.all('/healthz', methodNotAllowed('GET'));

  const phone = new Hono<{ Variables: EdgeVariables }>();
  // The size is checked first: an oversized body is refused (from its Content-Length, unread)
  // whoever sends it, and never counts against a team's rate.
  phone.use(
    // Connection: close: the rest of the body is not read, so the connection cannot carry another request.
    limitBody((c) => problemResponse(c, problem('tooLarge', `the body is over ${BODY_LIMIT_BYTES} bytes; phone-number requests are far smaller`), { connection: 'close' })),
  );

  const authenticate = authenticateTeam(config.teams, options.hashToken);
  const rateLimit = limitTeamRate(rateLimiter);

  phone.use(authenticate);
  // Between the two: replays are answered before the rate limiter and never count against it.
  phone.use(
    idempotencyKeys({
      store: options.idempotencyStore,
      now,
      // Well past the edge's own deadline (a token fetch and the call each have timeoutMs).
      leaseMs: 2 * config.timeoutMs + 30_000,
      hash,
    }),
  );
  phone.use(rateLimit);

  phone.post('/', async (c) => {
    const { account, operation } = mutationFrom(c, await readJsonObject(c), 'create', ['action']);
    return send(c, account, operation);
  });

  phone.patch('/:phoneNumber', async (c) => {
    const { account, operation } = mutationFrom(c, await readJsonObject(c), 'edit', ['action', 'phoneNumber']);
    return send(c, account, operation);
  });

  phone.delete('/:phoneNumber', async (c) => {
    // No body: userName and phoneName from the query string (clients and proxies drop DELETE bodies).
    const fromQuery = () => {
      const fields: Record<string, unknown> = {};
      for (const key of ['userName', 'phoneName'] as const) {
        const value = c.req.query(key);
        if (value !== undefined) fields[key] = value;
      }
      return fields;
    };
    const { account, operation } = mutationFrom(c, await readJsonObject(c, fromQuery), 'delete', ['action', 'phoneNumber']);
    return send(c, account, operation);
  });

  /**
   * A lookup, by the number in the path or by the name in the query (CloudAgent's get takes either;
   * names match without regard to case): checked as core checks a get, then the team's grant.
   */
  const lookUp = (c: EdgeContext, key: { phoneNumber: string } | { phoneName: string }) => {
    // Whatever the request says, this transport cannot send the lookup: say so first. Both runtimes'
    // own transports can (node:http on Node, the socket transport on Workers); a fetch-based one
    // cannot. The way out is the transport's own (the client says the same to its users).
    if (!transport.capabilities.getWithBody) {
      throw new ProblemError(problem('notImplemented', `v2 get is a GET with a JSON body, which the ${transport.name} transport cannot send: ${GET_WITH_BODY_FIX}`));
    }
    const userName = c.req.query('userName');
    const result = validateOperation({ action: 'get', ...key });
    const issues = [...userNameIssues(userName), ...(result.ok ? [] : result.issues)];
    if (issues.length > 0 || !result.ok) throw invalid(issues);
    return send(c, accountFor(c, userName), result.value);
  };

  // No name is an empty one: core's rule for an existing name names phoneName and says it cannot be empty.
  phone.get('/', (c) => lookUp(c, { phoneName: c.req.query('phoneName') ?? '' }));
  phone.get('/:phoneNumber', (c) => lookUp(c, { phoneNumber: pathNumber(c) }));

  phone.all('/', methodNotAllowed('GET, POST'));
  phone.all('/:phoneNumber', methodNotAllowed('GET, PATCH, DELETE'));

  app.route('/phone-numbers', phone);
  if (options.bulkJobs) app.route('/bulk-jobs', options.bulkJobs((c, next) => authenticate(c, () => rateLimit(c, next))));

  // The team's own trail only: the team comes from its token, never from the query.
  app.get('/audit', authenticate, rateLimit, async (c) => {
    const query = auditQueryFrom(c.req.query(), now());
    if (!query.ok) throw invalid(query.errors);
    const entries = await auditStore.list(c.get('team')!.name, { ...query.value, limit: query.value.limit + 1 }, now());
    const more = entries.length > query.value.limit;
    const page = more ? entries.slice(0, query.value.limit) : entries;
    return c.json({ entries: page, next: more ? `/audit?since=${encodeURIComponent(new Date(query.value.since).toISOString())}&after=${page.at(-1)!.id}&limit=${query.value.limit}` : null });
  });
  app.all('/audit', methodNotAllowed('GET'));
  return app;
}
