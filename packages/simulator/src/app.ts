import { Hono, type Context } from 'hono';
import { V1_PATH, V2_PATH, V2_TOKEN_PATH, VENDOR_MESSAGES as M, parsePhpQuery, redact } from '@cloudagent-phone/core';
import type { SimulatorEnv } from './bindings.js';
import { rawQuery, readBody } from './body.js';
import { type CallLog, type CallRecord, withoutCredentials } from './calls.js';
import type { Fault, FaultInjector, FaultRoute } from './faults.js';
import type { ResolvedOptions } from './options.js';
import { type Answer, type MutationIdentity, type PhoneBook, type PhoneParams, vendor } from './phone.js';
import { TOKEN_REJECTIONS, type TokenDesk, tokenEnvelope, tokenFromAuthorization } from './tokens.js';

/** Marks a response that stands for a dropped connection in runtimes without a socket (see `fetch` in index.ts). */
export const DROP_HEADER = 'x-simulator-dropped';
/** Tells @hono/node-server the answer was already handled on the socket, so it writes nothing more. */
const ALREADY_SENT = { 'x-hono-already-sent': '1', [DROP_HEADER]: '1' };

export interface AppParts {
  options: ResolvedOptions;
  phones: PhoneBook;
  tokens: TokenDesk;
  faults: FaultInjector;
  calls: CallLog;
}

interface Prepared {
  version: FaultRoute;
  action?: string;
  params: Record<string, unknown>;
  auth: CallRecord['auth'];
  run: (identity: MutationIdentity) => Answer;
}

const PHONE_FIELDS = ['action', 'userName', 'phoneNumber', 'phoneName', 'phoneNumberNew', 'assignSkill', 'unAssignSkill', 'skill'] as const;

/**
 * Picks PhoneManageV2's fields. The new-name key is `PhoneNameNew` in every parameter table and
 * `phoneNameNew` in the v2 sample body: both are read on both versions, `PhoneNameNew` winning.
 */
function pickPhoneParams(source: Record<string, string | undefined>): PhoneParams {
  const p: PhoneParams = {};
  for (const k of PHONE_FIELDS) if (source[k] !== undefined) p[k] = source[k];
  const newName = source.PhoneNameNew ?? source.phoneNameNew;
  if (newName !== undefined) p.phoneNameNew = newName;
  return p;
}

/** JSON values as the v2 server reads them: strings; numbers as their digits; skill lists comma-joined. */
function jsonStrings(body: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
    else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) out[k] = v.join(',');
  }
  // The pages ask for + as %2B "in the request"; inside JSON that is needless, but a client that
  // follows the note literally still means +.
  for (const k of ['phoneNumber', 'phoneNumberNew']) {
    const v = out[k];
    if (v !== undefined && /^%2B/i.test(v)) out[k] = `+${v.slice(3)}`;
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const methodNotAllowed = (): Answer => ({ httpStatus: 405, body: { status: 'false', message: 'Method Not Allowed' } });
const missingCredentials = (): Answer => ({ httpStatus: 401, body: { status: 'false', message: M.missingCredentials } });

const HTML_ERROR = (status: number) =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createApp(parts: AppParts): Hono<SimulatorEnv> {
  const { options, phones, tokens, faults, calls } = parts;
  const app = new Hono<SimulatorEnv>();

  function respond(call: CallRecord, answer: Answer, rawBody?: string): Response {
    const body = rawBody ?? JSON.stringify(answer.body);
    call.httpStatus = answer.httpStatus;
    if (typeof answer.body.message === 'string') call.message = answer.body.message;
    return new Response(body, {
      status: answer.httpStatus,
      headers: { 'content-type': 'application/json', 'x-request-id': `sim-${call.id}`, ...answer.headers },
    });
  }

  function drop(c: Context<SimulatorEnv>, call: CallRecord): Response {
    call.dropped = true;
    const socket = c.env?.incoming?.socket;
    // Under Node the socket is closed with nothing written: the client sees a reset. Elsewhere the
    // marked response makes the simulator's `fetch` reject, as a real fetch does on a reset.
    if (socket) {
      socket.destroy();
      return new Response(null, { status: 502, headers: ALREADY_SENT });
    }
    return new Response(null, { status: 502, headers: { [DROP_HEADER]: '1' } });
  }

  function cutBody(c: Context<SimulatorEnv>, call: CallRecord, full: string, half: string): Response {
    call.httpStatus = 200;
    call.dropped = true;
    const outgoing = c.env?.outgoing;
    const socket = c.env?.incoming?.socket;
    if (outgoing && socket) {
      const length = String(new TextEncoder().encode(full).length);
      outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': length, 'x-request-id': `sim-${call.id}` });
      outgoing.write(half);
      // Let the half body reach the client before the reset.
      setTimeout(() => socket.destroy(), 10);
      return new Response(null, { status: 200, headers: ALREADY_SENT });
    }
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(half));
        controller.error(Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('simulated connection reset mid-body'), { code: 'ECONNRESET' }) }));
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': `sim-${call.id}` } });
  }

  function failure(call: CallRecord, fault: Fault): Response {
    if (fault.kind === 'html-error') {
      const status = fault.status ?? 502;
      call.httpStatus = status;
      return new Response(HTML_ERROR(status), { status, headers: { 'content-type': 'text/html' } });
    }
    const status = fault.status ?? 500;
    call.httpStatus = status;
    return fault.format === 'text'
      ? new Response('Internal Server Error', { status, headers: { 'content-type': 'text/plain' } })
      : new Response(JSON.stringify({ status: 'error', message: 'Internal Server Error' }), { status, headers: { 'content-type': 'application/json' } });
  }

  async function handle(c: Context<SimulatorEnv>, prepared: Prepared): Promise<Response> {
    const requestId = c.req.header('x-request-id') ?? c.req.header('idempotency-key');
    const call = calls.open({
      at: options.now(),
      version: prepared.version,
      method: c.req.method,
      path: c.req.path,
      ...(prepared.action !== undefined ? { action: prepared.action } : {}),
      params: withoutCredentials(prepared.params, options.apiKey),
      auth: prepared.auth,
      ...(requestId !== undefined ? { requestId } : {}),
    });
    const fault = faults.next(prepared.version, prepared.action);
    if (fault) call.fault = fault.kind;
    if (fault?.kind === 'latency') await sleep(fault.ms ?? 50);
    if (fault?.kind === 'rate-limit') {
      return respond(call, { httpStatus: 429, headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) }, body: { status: 'error', message: M.rateLimited } });
    }
    if (fault?.kind === 'drop-before') return drop(c, call);
    if ((fault?.kind === 'server-error' || fault?.kind === 'html-error') && !fault.afterApplying) return failure(call, fault);

    const identity: MutationIdentity = { callId: call.id, version: prepared.version === 'v1' ? 'v1' : 'v2', ...(requestId !== undefined ? { requestId } : {}) };
    const answer = prepared.run(identity);

    if (fault?.kind === 'drop-after') return drop(c, call);
    if (fault?.kind === 'server-error' || fault?.kind === 'html-error') return failure(call, fault);
    if (fault?.kind === 'garbled') {
      const full = JSON.stringify(answer.body);
      const half = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
      if (fault.truncate === 'connection') return cutBody(c, call, full, half);
      return respond(call, { ...answer, httpStatus: 200 }, half);
    }
    return respond(call, answer);
  }

  app.onError((err, c) => {
    options.log(redact(`simulator error on ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, { secrets: [options.apiKey] }));
    return c.json({ status: 'error', message: 'simulator internal error' }, 500);
  });

  // v1: read as PHP fills $_REQUEST (request_order "GP"): query first, a form body over it.
  app.on(['GET', 'POST'], V1_PATH, async (c) => {
    const query = parsePhpQuery(rawQuery(c.req.url));
    const contentType = c.req.header('content-type') ?? '';
    const form = c.req.method === 'POST' && /^application\/x-www-form-urlencoded/i.test(contentType) ? parsePhpQuery(await c.req.text()) : {};
    const merged: Record<string, string> = { ...query, ...form };
    const p = pickPhoneParams(merged);
    return handle(c, {
      version: 'v1',
      ...(p.action !== undefined ? { action: p.action } : {}),
      params: merged,
      auth: merged.apiKey !== undefined ? 'apiKey' : 'none',
      run: (identity) => {
        if (merged.apiKey !== options.apiKey || merged.userName !== options.userName) return vendor('error', M.authInvalid);
        switch (p.action) {
          case 'create':
            return phones.create(p, identity);
          case 'edit':
            return phones.edit(p, identity);
          case 'delete':
            return phones.delete(p, identity);
          default:
            return vendor('error', M.actionInvalid);
        }
      },
    });
  });

  app.all(V2_PATH, async (c) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'POST') return c.json(methodNotAllowed().body, 405);
    const text = await readBody(c);
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const json = isObject(parsed) ? parsed : undefined;
    const p = json ? pickPhoneParams(jsonStrings(json)) : {};
    const keyHeader = c.req.header('apikey');
    const authorization = c.req.header('authorization');
    return handle(c, {
      version: 'v2',
      ...(p.action !== undefined ? { action: p.action } : {}),
      params: { ...p },
      auth: authorization !== undefined ? 'bearer' : keyHeader !== undefined ? 'apiKey' : 'none',
      run: (identity) => {
        const tokenMode = options.auth === 'token';
        if (!tokenMode && (keyHeader === undefined || keyHeader.trim() === '')) return missingCredentials();
        if (tokenMode && authorization === undefined) return tokenEnvelope(TOKEN_REJECTIONS.empty, 401);
        if (!json) return { httpStatus: 200, body: { status: 'false', message: M.invalidJson } };
        if (p.userName === undefined || p.userName.trim() === '') return missingCredentials();
        if (tokenMode) {
          const check = tokens.check(tokenFromAuthorization(authorization));
          if (check !== 'ok') return tokenEnvelope(TOKEN_REJECTIONS[check], 401);
        }
        const keyOk = tokenMode || keyHeader === options.apiKey;
        if (!keyOk || p.userName !== options.userName) return vendor('error', p.action === 'get' ? M.authInvalidGet : M.authInvalid);
        const action = p.action;
        if (action !== 'create' && action !== 'edit' && action !== 'delete' && action !== 'get') return vendor('error', M.actionInvalid);
        if ((action === 'get') !== (method === 'GET')) return methodNotAllowed();
        return action === 'get' ? phones.get(p) : phones[action](p, identity);
      },
    });
  });

  app.all(V2_TOKEN_PATH, async (c) => {
    if (c.req.method !== 'POST') return c.json(methodNotAllowed().body, 405);
    const text = await c.req.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const userName = isObject(parsed) ? parsed.userName : undefined;
    const keyHeader = c.req.header('apikey');
    return handle(c, {
      version: 'token',
      action: 'token',
      params: isObject(parsed) ? parsed : {},
      auth: keyHeader !== undefined ? 'apiKey' : 'none',
      run: () => tokens.generate(keyHeader, userName),
    });
  });

  return app;
}
