import { Hono, type Context } from 'hono';
import { V1_PATH, V2_PATH, V2_TOKEN_PATH, VENDOR_MESSAGES as M, parsePhpQuery, rawQueryOf, redact } from '@cloudagent-phone/core';
import type { SimulatorEnv } from './bindings.js';
import { readBody } from './body.js';
import { type CallLog, type CallRecord, withoutCredentials } from './calls.js';
import { abortableSleep, cutBody, drop, failure, sleep } from './fault-responses.js';
import type { FaultInjector, FaultRoute } from './faults.js';
import type { ResolvedOptions } from './options.js';
import { isObject, jsonStrings, pickPhoneParams } from './params.js';
import { type Answer, type MutationIdentity, type PhoneBook, vendor } from './phone.js';
import { TOKEN_REJECTIONS, type TokenDesk, tokenEnvelope, tokenFromAuthorization } from './tokens.js';

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

const methodNotAllowed = (): Answer => ({ httpStatus: 405, body: { status: 'false', message: 'Method Not Allowed' } });
const missingCredentials = (): Answer => ({ httpStatus: 401, body: { status: 'false', message: M.missingCredentials } });

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
    if (fault?.kind === 'latency') {
      if (!fault.abortable) await sleep(fault.ms ?? 50);
      else if (await abortableSleep(fault.ms ?? 50, c.req.raw.signal)) {
        call.aborted = true;
        return drop(c, call);
      }
    }
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

  // v1: read as PHP fills $_REQUEST (request_order "GP"): query first, a form body over it. A PHP
  // script runs for any verb (only POST fills $_POST), so every method gets the usual 200 answer.
  app.all(V1_PATH, async (c) => {
    const query = parsePhpQuery(rawQueryOf(c.req.url));
    const contentType = c.req.header('content-type') ?? '';
    let form: Record<string, string> = {};
    if (c.req.method === 'POST' && /^application\/x-www-form-urlencoded/i.test(contentType)) form = parsePhpQuery(await c.req.text());
    else if (c.req.method === 'POST' && /^multipart\/form-data/i.test(contentType)) form = await multipartFields(c.req.raw);
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

// PHP fills $_POST from multipart/form-data too (curl -F, a browser FormData); file parts are not
// parameters, and a body that does not parse reads as no parameters, as PHP's would.
async function multipartFields(request: Request): Promise<Record<string, string>> {
  // No prototype: a field named __proto__ is a field.
  const fields: Record<string, string> = Object.create(null);
  try {
    for (const [name, value] of await request.formData()) if (typeof value === 'string') fields[name] = value;
  } catch {
    return {};
  }
  return fields;
}
