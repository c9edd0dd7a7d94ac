import { VENDOR_MESSAGES as M } from './messages.js';
import { isMutation, type PhoneAction, type PlainResponse } from './operation.js';
import { appliedOf, type Outcome, type OutcomeCause, type OutcomeKind, type PhoneRecord } from './outcome.js';
import { notFoundIn } from './not-found.js';

/**
 * Folds a message the way the server may pad or wrap it: byte-order mark, leading and trailing
 * spaces, LF or CRLF line breaks and runs of spaces all become single spaces; case is ignored.
 */
export function normalizeMessage(message: string): string {
  return foldMessage(message).toLowerCase();
}

interface Known {
  kind: OutcomeKind;
  field?: string;
  /** Long messages are matched by their start, so a reworded tail still lands in the right place. */
  prefix?: boolean;
}

// Marked pure (the Map and the map() call), so a bundle that takes only normalizeMessage or
// parseRetryAfter from this module leaves the table out.
const ERROR_MESSAGES = /* @__PURE__ */ new Map<string, Known>(
  /* @__PURE__ */ [
    [M.authInvalid, { kind: 'auth_error' }],
    [M.actionInvalid, { kind: 'invalid_action' }],
    [M.numberNotNumeric, { kind: 'validation_error', field: 'phoneNumber' }],
    [M.nameEmpty, { kind: 'validation_error', field: 'phoneName' }],
    [M.numberEmpty, { kind: 'validation_error', field: 'phoneNumber' }],
    // A prefix, so "already exists" (the grammatical fix a server update may bring) is a conflict too.
    [M.alreadyExists, { kind: 'conflict', prefix: true }],
    ['phonenumber should be between', { kind: 'validation_error', field: 'phoneNumber', prefix: true }],
    ['phonename should be between', { kind: 'validation_error', field: 'phoneName', prefix: true }],
    ['phone number limit exceeded', { kind: 'limit_exceeded', prefix: true }],
    [M.rateLimited, { kind: 'rate_limited' }],
    [M.tokenUserNameNull, { kind: 'validation_error', field: 'userName' }],
    [M.tokenInvalidCredentials, { kind: 'auth_error' }],
    [M.tokenExpired, { kind: 'auth_error', field: 'token' }],
    [M.tokenInvalid, { kind: 'auth_error', field: 'token' }],
    [M.tokenEmpty, { kind: 'auth_error', field: 'token' }],
    [M.missingCredentials, { kind: 'auth_error' }],
    [M.invalidJson, { kind: 'validation_error' }],
  ].map(([text, known]) => [normalizeMessage(text as string), known as Known]),
);

const SUCCESS = normalizeMessage(M.success);
const PARTIAL_PREFIX = normalizeMessage('record inserted successfully and failed to insert skills');

function lookupError(normalized: string): Known | undefined {
  const exact = ERROR_MESSAGES.get(normalized);
  if (exact) return exact;
  for (const [text, known] of ERROR_MESSAGES) {
    if (known.prefix && normalized.startsWith(text)) return known;
  }
  return undefined;
}

/** Request-id headers seen in front of CloudAgent-like APIs; the lower the rank, the more specific. */
const REQUEST_ID_RANK = new Map([['x-request-id', 1], ['request-id', 2], ['x-correlation-id', 3], ['x-amzn-requestid', 4], ['cf-ray', 5]]);

function headerText(v: string | string[] | undefined): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

/**
 * One pass over the headers (any case, single values or arrays): the request id, and `Retry-After`,
 * which a 429, a 503 or a rate-limit answer may carry and whoever retries honours.
 */
interface HeaderFacts {
  requestId?: string;
  retryAfterMs?: number;
}
const NO_HEADERS: HeaderFacts = {};

function readHeaders(headers: NonNullable<PlainResponse['headers']>, now: number | undefined): HeaderFacts {
  if (typeof headers !== 'object') return NO_HEADERS;
  const facts: HeaderFacts = {};
  let rank = Infinity;
  for (const key in headers) {
    const name = key.toLowerCase();
    if (name === 'retry-after') {
      const ms = parseRetryAfter(headerText(headers[key]), now);
      if (ms !== undefined) facts.retryAfterMs = ms;
      continue;
    }
    const r = REQUEST_ID_RANK.get(name);
    if (r !== undefined && r < rank) {
      const id = headerText(headers[key]);
      if (id) {
        facts.requestId = id;
        rank = r;
      }
    }
  }
  return facts;
}

/**
 * `Retry-After` in milliseconds: delay-seconds (`120`, and the `1.5` some servers send) or an HTTP
 * date in any of its three forms (the date needs `now`, which core does not read itself). Anything
 * else (negative, empty, garbage) is undefined rather than a guess.
 */
export function parseRetryAfter(value: string | undefined, now?: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // "120, 120": a repeated header joined by the transport; the first value counts.
  const seconds = /^(\d+(?:\.\d+)?)(?:\s*,.*)?$/.exec(trimmed);
  if (seconds) return Math.round(Number(seconds[1]) * 1000);
  if (now === undefined || !/[a-z]/i.test(trimmed)) return undefined;
  // asctime ("Sun Nov  6 08:49:37 1994") carries no zone but means GMT; Date.parse would read local time.
  const at = Date.parse(/\d{4}$/.test(trimmed) ? `${trimmed} GMT` : trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A get record's field. The documented body has strings; a server that stores numbers may send a
 * JSON number, whose digits are taken from the raw text (JSON.parse would round a 17-digit number).
 */
function recordField(body: Record<string, unknown>, key: string, raw: string): string | undefined {
  const value = body[key];
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const literal = new RegExp(`"${key}"\\s*:\\s*(-?\\d+)\\s*[,}]`).exec(raw)?.[1];
  // The literal is used only if it is this field's (the same double); a nested namesake is not.
  return literal !== undefined && Number(literal) === value ? literal : String(value);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const READABLE: Record<OutcomeKind, string> = {
  success: 'CloudAgent applied the change',
  partial_success: 'the number was changed but the skills were not applied',
  auth_error: 'CloudAgent rejected the credentials',
  invalid_action: 'CloudAgent did not accept the action',
  validation_error: 'CloudAgent rejected a value',
  conflict: 'the phone number or name already exists',
  not_found: 'the phone number or name does not exist',
  limit_exceeded: "the account's phone-number limit is reached",
  rate_limited: 'too many requests: CloudAgent is rate-limiting this account',
  rejected: 'CloudAgent refused the request',
  server_error: 'the server did not give a CloudAgent answer',
  unknown: 'the change may or may not have been applied',
};

/**
 * PHP prints notices and warnings (`<br />\n<b>Notice</b>: ...`) before the script's own output, so
 * a v1 answer can arrive as HTML followed by the JSON object. Only a body that ends with an object
 * starting with "status" or "message" is read that way; anything else stays unparsed.
 */
function trailingAnswer(text: string): unknown {
  if (!text.endsWith('}')) return undefined;
  const start = text.search(/\{\s*"(?:status|message)"\s*:/);
  if (start <= 0) return undefined;
  return parseLenient(text.slice(start));
}

/**
 * The vendor prints the limit message with line breaks inside it. JSON forbids raw control
 * characters inside a string, so a server that writes such a message without escaping it (a
 * hand-built PHP echo) sends a body JSON.parse refuses. Escape them inside strings only (outside,
 * a line break is ordinary whitespace), then parse again.
 */
function escapeControlsInStrings(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (inString && code < 0x20) {
      out += ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\u${code.toString(16).padStart(4, '0')}`;
      continue;
    }
    out += ch;
    if (ch === '\\' && inString) {
      out += text[i + 1] ?? '';
      i++;
    } else if (ch === '"') {
      inString = !inString;
    }
  }
  return out;
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (!/[\u0000-\u001f]/.test(text)) return undefined;
    try {
      return JSON.parse(escapeControlsInStrings(text));
    } catch {
      return undefined;
    }
  }
}

/** Padding, line breaks (LF or CRLF), tabs and a byte-order mark folded to single spaces; case kept. */
function foldMessage(message: string): string {
  const text = message.charCodeAt(0) === 0xfeff ? message.slice(1) : message;
  return text.replace(/\s+/g, ' ').trim();
}

/** What one response said, read once; `build` turns it into outcomes. */
interface Answer {
  action: PhoneAction;
  httpStatus: number;
  vendorStatus: string | undefined;
  vendorMessage: string | undefined;
  folded: string;
  seen: HeaderFacts;
}

/** The kinds that may carry `Retry-After`: the others have no use for a delay. */
const CARRIES_RETRY_AFTER: ReadonlySet<OutcomeKind> = new Set(['rate_limited', 'server_error', 'unknown']);

interface Extra {
  field?: string;
  message?: string;
  cause?: OutcomeCause;
  data?: PhoneRecord;
  nameMismatch?: boolean;
}

// Built field by field rather than by spreading: this runs once per call on the hot path.
function build(a: Answer, kind: OutcomeKind, retryable: boolean, extra?: Extra): Outcome {
  const o = { kind, message: extra?.message ?? (a.folded || READABLE[kind]), retryable, httpStatus: a.httpStatus } as Outcome & Record<string, unknown>;
  if (extra?.field !== undefined) o.field = extra.field;
  if (kind === 'not_found') o.nameMismatch = extra?.nameMismatch === true;
  if (extra?.cause !== undefined) o.cause = extra.cause;
  if (extra?.data !== undefined) o.data = extra.data;
  if (a.vendorStatus !== undefined) o.vendorStatus = a.vendorStatus;
  if (a.vendorMessage !== undefined) o.vendorMessage = a.vendorMessage;
  if (a.seen.requestId !== undefined) o.requestId = a.seen.requestId;
  if (a.seen.retryAfterMs !== undefined && CARRIES_RETRY_AFTER.has(kind)) o.retryAfterMs = a.seen.retryAfterMs;
  if (isMutation(a.action)) o.applied = appliedOf(kind);
  return o;
}

export interface ClassifyOptions {
  /** Milliseconds since the epoch, to turn an HTTP-date `Retry-After` into a delay. */
  now?: number;
}

/**
 * Classifies one response to one action. Total: never throws, whatever the status and body.
 *
 * The rule that matters: a mutation is called "not applied" only on a recognised CloudAgent answer
 * that refuses it. Anything else that came back (a 5xx, a redirect, an HTML page or an empty,
 * truncated or garbled body at any status, a gateway's own 401, 403, 404 or 429 page, a success in
 * unfamiliar words) may have come after the change was made: `unknown`, until a read-back settles
 * it. A read is never ambiguous: such an answer to `get` is a `server_error`.
 *
 * A recognised CloudAgent answer is a JSON object with a `status` or `message`: a documented
 * message (any status), the `not_found` wordings (docs/decisions.md), a 401/403/429 carrying such
 * an object, or, below 500, a refusal status (`error`, `false`, `fail`, `failure`) in unfamiliar
 * words, which is `rejected` (a definite refusal, its message verbatim).
 */
export function classify(response: PlainResponse, action: PhoneAction, options: ClassifyOptions = {}): Outcome {
  try {
    return classifyUnsafe(response, action, options);
  } catch {
    // Defensive: a getter or a hostile object must not make the classifier throw.
    const mutation = isMutation(action);
    return mutation
      ? { kind: 'unknown', message: READABLE.unknown, retryable: false, cause: 'not_cloudagent', applied: 'unknown' }
      : { kind: 'server_error', message: READABLE.server_error, retryable: true, cause: 'not_cloudagent' };
  }
}

const REFUSAL_STATUSES = new Set(['error', 'false', 'failure', 'fail']);

function classifyUnsafe(response: PlainResponse, action: PhoneAction, options: ClassifyOptions): Outcome {
  const mutation = isMutation(action);
  const httpStatus = typeof response.status === 'number' ? response.status : 0;
  const raw = typeof response.body === 'string' ? response.body : '';
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1).trim() : raw.trim();

  let parsed: unknown;
  if (text !== '') {
    parsed = parseLenient(text);
    if (parsed === undefined) parsed = trailingAnswer(text);
  }
  const body = isPlainObject(parsed) ? parsed : undefined;
  const rawStatus = body?.status;
  const vendorStatus = typeof rawStatus === 'string' || typeof rawStatus === 'boolean' ? String(rawStatus) : undefined;
  const vendorMessage = typeof body?.message === 'string' ? body.message : undefined;

  // The message folded once: the readable form keeps its case, the lookup form does not. The
  // documented success text, by far the most common answer, needs no folding.
  const folded = vendorMessage === undefined ? '' : vendorMessage === M.success ? M.success : foldMessage(vendorMessage);
  const seen = response.headers ? readHeaders(response.headers, options.now) : NO_HEADERS;
  const answer: Answer = { action, httpStatus, vendorStatus, vendorMessage, folded, seen };
  const outcome = (kind: OutcomeKind, retryable: boolean, extra?: Extra): Outcome => build(answer, kind, retryable, extra);

  const redirect = httpStatus >= 300 && httpStatus < 400;
  const clientError = httpStatus >= 400 && httpStatus < 500;
  const cause: OutcomeCause = redirect ? 'redirect' : httpStatus >= 500 || httpStatus < 200 || clientError ? 'http_status' : 'not_cloudagent';
  const notAnAnswerMessage = redirect
    ? `CloudAgent answered with a redirect (HTTP ${httpStatus}): check baseUrl (https, host, path prefix)`
    : httpStatus >= 500
      ? `CloudAgent answered HTTP ${httpStatus}`
      : httpStatus >= 400
        ? `HTTP ${httpStatus} without a CloudAgent answer (a gateway's page?)`
        : READABLE.server_error;
  /** Not a CloudAgent answer: ambiguous for a mutation; for a read, worth another look unless refused at a 3xx/4xx. */
  const notAnAnswer = (): Outcome =>
    mutation
      ? outcome('unknown', false, { cause, message: `${notAnAnswerMessage}; the change may or may not have been applied` })
      : outcome('server_error', !(redirect || clientError) || httpStatus === 429, { cause, message: notAnAnswerMessage });

  const cloudAgentShaped = body !== undefined && (vendorStatus !== undefined || vendorMessage !== undefined);
  const normalized = folded.toLowerCase();

  // A 429 refuses at the door: nothing was applied, so even a mutation may go again. For a
  // mutation only when CloudAgent's own envelope says so; a bare 429 page may come from anything.
  if (httpStatus === 429 && (cloudAgentShaped || !mutation)) return outcome('rate_limited', true);
  if ((httpStatus === 401 || httpStatus === 403) && (cloudAgentShaped || !mutation)) {
    const known = folded ? lookupError(normalized) : undefined;
    return outcome('auth_error', false, known?.field !== undefined ? { field: known.field } : undefined);
  }
  if (redirect || httpStatus < 200 || !body) return notAnAnswer();

  // v2 get answers a bare record: {"phoneNumber": "...", "phoneName": "..."} with no status (extra
  // fields, and a status of success, are tolerated).
  if (action === 'get' && httpStatus < 300 && body.phoneNumber !== undefined) {
    const phoneNumber = recordField(body, 'phoneNumber', text);
    const phoneName = recordField(body, 'phoneName', text);
    if (phoneNumber !== undefined && phoneName !== undefined) return outcome('success', false, { message: 'found', data: { phoneNumber, phoneName } });
  }
  if (!cloudAgentShaped) return notAnAnswer();

  const status = vendorStatus === undefined ? '' : vendorStatus.trim().toLowerCase();
  const ok2xx = httpStatus >= 200 && httpStatus < 300;

  // "true" (a string or a JSON boolean) is how CloudAgent's Java services spell success.
  if (status === 'success' || status === 'true') {
    if (ok2xx && action !== 'get' && normalized === SUCCESS) return outcome('success', false);
    if (ok2xx && action !== 'get' && normalized.startsWith(PARTIAL_PREFIX)) return outcome('partial_success', false, { field: 'skill' });
    return mutation
      ? outcome('unknown', false, { cause: 'unfamiliar_success' })
      : outcome('server_error', true, { cause: 'unfamiliar_success', message: `CloudAgent answered "${folded}" without the record` });
  }

  const known = lookupError(normalized);
  if (known) return outcome(known.kind, known.kind === 'rate_limited', known.field !== undefined ? { field: known.field } : undefined);
  const missing = notFoundIn(normalized);
  if (missing) return outcome('not_found', false, { nameMismatch: missing.nameMismatch, ...(missing.field ? { field: missing.field } : {}) });

  // An error status whose message says the record was inserted contradicts itself: it may have been.
  // A 5xx in unfamiliar words may come from anything that fails after the change was made.
  if (REFUSAL_STATUSES.has(status) && httpStatus < 500 && !normalized.startsWith(SUCCESS) && vendorMessage !== undefined) {
    return outcome('rejected', false);
  }
  return notAnAnswer();
}
