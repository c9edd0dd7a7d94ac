import { EdgeConnectionError } from './errors.js';
import { DEFAULT_RETRY, delayBeforeRetry, isRetryable, retryAfterMs, type RetryPolicy } from './retry.js';
import type { BulkJob, BulkJobReportLine, BulkJobRow, CreateBody, DeleteBody, EdgeResult, EditBody, ForeignProblem, Health, LookupQuery, Problem, Success } from './types.js';

export interface EdgeClientOptions {
  /** The edge's URL, e.g. `https://phone-edge.example.workers.dev` or `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** The team's token (sent as `Authorization: Bearer`). */
  token: string;
  /** Default: the global fetch. Inject one to route through a proxy, a test server or a Worker binding. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** How long one attempt may take before it is cancelled. Default 30 s (above the edge's own deadline). */
  timeoutMs?: number;
  /** Retries of timeouts, connection failures, 429 and 5xx. */
  retry?: Partial<RetryPolicy>;
  /** Makes the Idempotency-Key of each mutation. Default: `crypto.randomUUID()`. */
  idempotencyKey?: () => string;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  /** Cancels the call (every attempt and every wait); a cancelled call is never retried. */
  signal?: AbortSignal;
  /** Sent as X-Request-Id, so the edge's logs can be found by it. */
  requestId?: string;
}

export interface MutationOptions extends CallOptions {
  /**
   * The Idempotency-Key to send (1 to 255 printable characters). Default: a fresh one per call,
   * reused by that call's retries. Pass your own to repeat a call safely across processes.
   */
  idempotencyKey?: string;
}

/** A job's rows: CSV text with a header row, NDJSON text, or row objects (sent as NDJSON). */
export type BulkJobInput = { csv: string } | { ndjson: string } | { rows: readonly BulkJobRow[] };

export interface BulkJobOptions extends MutationOptions {
  /** The account for rows that name none. */
  userName?: string;
}

export interface EdgeClient {
  createPhoneNumber(body: CreateBody, options?: MutationOptions): Promise<EdgeResult<Success>>;
  editPhoneNumber(phoneNumber: string, body: EditBody, options?: MutationOptions): Promise<EdgeResult<Success>>;
  deletePhoneNumber(phoneNumber: string, body: DeleteBody, options?: MutationOptions): Promise<EdgeResult<Success>>;
  getPhoneNumber(phoneNumber: string, query: LookupQuery, options?: CallOptions): Promise<EdgeResult<Success>>;
  /** The number that has this name (CloudAgent matches names without regard to case); 404 when none has. */
  getPhoneNumberByName(phoneName: string, query: LookupQuery, options?: CallOptions): Promise<EdgeResult<Success>>;
  health(options?: CallOptions): Promise<EdgeResult<Health>>;
  /**
   * Submits a bulk job (202, or 200 with the job an earlier call with the same `idempotencyKey`
   * made). The key is stored with the job, so retrying the submission never starts a second job.
   */
  createBulkJob(input: BulkJobInput, options?: BulkJobOptions): Promise<EdgeResult<BulkJob>>;
  getBulkJob(id: string, options?: CallOptions): Promise<EdgeResult<BulkJob>>;
  /** The report, one line per row in input order: CSV text by default, or parsed NDJSON lines. */
  getBulkJobReport(id: string, options?: CallOptions & { format?: 'csv' }): Promise<EdgeResult<string>>;
  getBulkJobReport(id: string, options: CallOptions & { format: 'ndjson' }): Promise<EdgeResult<BulkJobReportLine[]>>;
  /** No new row is sent; rows in flight settle. Cancelling twice, or an ended job, changes nothing (so it is retried like a read). */
  cancelBulkJob(id: string, options?: CallOptions): Promise<EdgeResult<BulkJob>>;
}

/** How a call's successful answer is read: a JSON body, text (the CSV report), or NDJSON lines. */
type Reading = 'json' | 'text' | 'ndjson';

interface Sending {
  /** Gets an Idempotency-Key (and `mayHaveApplied` when unanswered). */
  mutation: boolean;
  /** A body that is not JSON: its text and content type. */
  raw?: { text: string; contentType: string };
  accept?: string;
  reading?: Reading;
}

const PRINTABLE_KEY = /^[\x21-\x7E](?:[\x20-\x7E]{0,253}[\x21-\x7E])?$/;

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function ndjsonLines(text: string): unknown[] | undefined {
  try {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  } catch {
    return undefined;
  }
}

async function readAnswer(response: Response, reading: Reading = 'json'): Promise<{ ok: true; data: unknown } | { ok: false; problem: Problem | ForeignProblem }> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (response.ok && reading === 'text' && !/json/i.test(type)) return { ok: true, data: text };
  if (response.ok && reading === 'ndjson' && /ndjson/i.test(type)) {
    const lines = ndjsonLines(text);
    if (lines) return { ok: true, data: lines };
  }
  let body: unknown;
  if (/json/i.test(type)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (response.ok && body !== undefined) return { ok: true, data: body };
  if (!response.ok && /problem\+json/i.test(type) && body && typeof body === 'object' && 'type' in body) return { ok: false, problem: body as Problem };
  return {
    ok: false,
    problem: {
      type: 'about:blank',
      title: response.ok ? 'The edge answered without a JSON body' : `HTTP ${response.status}`,
      status: response.status,
      detail: text.slice(0, 500) || `the answer had no body (${type || 'no content type'})`,
    },
  };
}

/** A client for one team: every call returns the edge's answer, typed; see the README for the retry rules. */
export function createEdgeClient(options: EdgeClientOptions): EdgeClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const newKey = options.idempotencyKey ?? (() => crypto.randomUUID());
  const sleep = options.sleep ?? wait;

  async function call<T>(method: string, path: string, body: unknown, call: MutationOptions & Sending): Promise<EdgeResult<T>> {
    const idempotencyKey = call.mutation ? (call.idempotencyKey ?? newKey()) : undefined;
    if (idempotencyKey !== undefined && !PRINTABLE_KEY.test(idempotencyKey)) {
      throw new TypeError('idempotencyKey must be 1 to 255 printable ASCII characters, not starting or ending with a space');
    }
    const headers: Record<string, string> = { accept: call.accept ?? 'application/json, application/problem+json', authorization: `Bearer ${options.token}` };
    if (call.raw) headers['content-type'] = call.raw.contentType;
    else if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    if (call.requestId) headers['x-request-id'] = call.requestId;
    const payload = call.raw ? call.raw.text : body === undefined ? undefined : JSON.stringify(body);

    for (let attempt = 1; ; attempt += 1) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
      let response: Response;
      try {
        response = await send(`${base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}), signal });
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        const delay = attempt <= policy.maxRetries ? delayBeforeRetry(policy, attempt - 1, undefined) : undefined;
        if (delay === undefined) {
          const why = deadline.aborted ? `did not answer within ${timeoutMs} ms` : `could not be reached (${error instanceof Error ? error.message : String(error)})`;
          const next = call.mutation ? `; the change may or may not have been applied: retry with idempotencyKey "${idempotencyKey}" or look the number up` : '';
          throw new EdgeConnectionError(`${method} ${path}: the edge ${why} after ${attempt} attempt(s)${next}`, {
            attempts: attempt,
            mayHaveApplied: call.mutation,
            idempotencyKey,
            cause: error,
          });
        }
        await sleep(delay, call.signal);
        continue;
      }
      if (attempt <= policy.maxRetries && isRetryable(response.status, response.headers)) {
        const delay = delayBeforeRetry(policy, attempt - 1, retryAfterMs(response.headers));
        if (delay !== undefined) {
          await response.body?.cancel();
          await sleep(delay, call.signal);
          continue;
        }
      }
      const answer = await readAnswer(response, call.reading);
      const meta = {
        status: response.status,
        requestId: response.headers.get('x-request-id') ?? undefined,
        attempts: attempt,
        replayed: response.headers.get('idempotent-replayed') === 'true',
        idempotencyKey,
        retryAfterMs: retryAfterMs(response.headers),
      };
      return { ...meta, ...answer } as EdgeResult<T>;
    }
  }

  const numberPath = (phoneNumber: string) => `/phone-numbers/${encodeURIComponent(phoneNumber)}`;
  const jobPath = (id: string) => `/bulk-jobs/${encodeURIComponent(id)}`;
  const bulkBody = (input: BulkJobInput): NonNullable<Sending['raw']> => {
    if ('csv' in input) return { text: input.csv, contentType: 'text/csv; charset=utf-8' };
    if ('ndjson' in input) return { text: input.ndjson, contentType: 'application/x-ndjson' };
    return { text: input.rows.map((row) => `${JSON.stringify(row)}\n`).join(''), contentType: 'application/x-ndjson' };
  };
  function getBulkJobReport(id: string, opts?: CallOptions & { format?: 'csv' }): Promise<EdgeResult<string>>;
  function getBulkJobReport(id: string, opts: CallOptions & { format: 'ndjson' }): Promise<EdgeResult<BulkJobReportLine[]>>;
  function getBulkJobReport(id: string, opts: CallOptions & { format?: 'csv' | 'ndjson' } = {}): Promise<EdgeResult<string | BulkJobReportLine[]>> {
    const { format = 'csv', ...rest } = opts;
    const accept = format === 'ndjson' ? 'application/x-ndjson, application/problem+json' : 'text/csv, application/problem+json';
    return call('GET', `${jobPath(id)}/report`, undefined, { ...rest, mutation: false, accept, reading: format === 'ndjson' ? 'ndjson' : 'text' });
  }
  return {
    createPhoneNumber: (body, opts = {}) => call('POST', '/phone-numbers', body, { ...opts, mutation: true }),
    editPhoneNumber: (phoneNumber, body, opts = {}) => call('PATCH', numberPath(phoneNumber), body, { ...opts, mutation: true }),
    deletePhoneNumber: (phoneNumber, body, opts = {}) => call('DELETE', numberPath(phoneNumber), body, { ...opts, mutation: true }),
    getPhoneNumber: (phoneNumber, query, opts = {}) => call('GET', `${numberPath(phoneNumber)}?${new URLSearchParams({ userName: query.userName })}`, undefined, { ...opts, mutation: false }),
    getPhoneNumberByName: (phoneName, query, opts = {}) =>
      call('GET', `/phone-numbers?${new URLSearchParams({ userName: query.userName, phoneName })}`, undefined, { ...opts, mutation: false }),
    health: (opts = {}) => call('GET', '/healthz', undefined, { ...opts, mutation: false }),
    createBulkJob: (input, { userName, ...opts } = {}) =>
      call('POST', `/bulk-jobs${userName !== undefined ? `?${new URLSearchParams({ userName })}` : ''}`, undefined, { ...opts, mutation: true, raw: bulkBody(input) }),
    getBulkJob: (id, opts = {}) => call('GET', jobPath(id), undefined, { ...opts, mutation: false }),
    getBulkJobReport,
    cancelBulkJob: (id, opts = {}) => call('DELETE', jobPath(id), undefined, { ...opts, mutation: false }),
  };
}
