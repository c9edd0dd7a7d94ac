// Black-box tests written from docs/reference/cloudagent-phone-api.md alone, through the public
// entry only. Expected strings are copied from the reference, not imported from core.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BASE_URL,
  classify,
  encodeTokenRequest,
  encodeV1,
  encodeV2,
  failureOutcome,
  isAmbiguous,
  isTokenRejection,
  mayRetry,
  needsReadBack,
  parseTokenResponse,
  redact,
  validateOperation,
  type Outcome,
  type OutcomeKind,
  type PhoneAction,
  type PhoneRecord,
  type PhoneOperation,
} from './index.js';

/** Reads the fields some kinds carry, across the union. */
const fields = (o: Outcome): Partial<{ field: string; data: PhoneRecord; retryAfterMs: number }> => o as never;

const KEY = 'CANARY-KEY-core-bb-42';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJibGFja2JveCJ9.c2lnbmF0dXJlLWNhbmFyeQ';
const creds = { userName: 'acme', apiKey: KEY };

const LIMIT_AS_PRINTED = " Phone Number Limit Exceeded. Please\nrefer to the 'Phone Number Creation Limit' option under 'Edit Profile'\nfor reference. ";
const NAME_RULE =
  'phoneName should be between 2 to 50 alphanumeric characters long allows prefix + and special characters like .,@,_,- and Name cannot start and end with Special characters.';

const pads: [string, (m: string) => string][] = [
  ['verbatim', (m) => m],
  ['padded with spaces', (m) => `  ${m}  `],
  ['trailing newline', (m) => `${m}\n`],
  ['CRLF padding', (m) => `\r\n${m}\r\n`],
  ['tab padded', (m) => `\t${m}\t`],
];

const body = (status: string, message: string) => JSON.stringify({ status, message });

const MUTATIONS: PhoneAction[] = ['create', 'edit', 'delete'];

const table: [string, string, string, OutcomeKind][] = [
  ['success', 'success', 'record inserted successfully', 'success'],
  ['invalid key or user', 'error', 'userName or apiKey not valid', 'auth_error'],
  ['invalid action', 'error', 'action not valid', 'invalid_action'],
  ['not numeric', 'error', 'phoneNumber must be numeric', 'validation_error'],
  ['empty name', 'error', 'phoneName cannot be empty', 'validation_error'],
  ['empty number', 'error', 'phoneNumber cannot be empty', 'validation_error'],
  ['already exists', 'error', 'phone_name or phone_number already exist', 'conflict'],
  ['length', 'error', 'phoneNumber should be between 3 to 17 digits long and allows prefix +', 'validation_error'],
  ['name rule', 'error', NAME_RULE, 'validation_error'],
  ['limit (LF)', 'error', LIMIT_AS_PRINTED, 'limit_exceeded'],
  ['limit (CRLF)', 'error', LIMIT_AS_PRINTED.replace(/\n/g, '\r\n'), 'limit_exceeded'],
  ['limit (one line)', 'error', LIMIT_AS_PRINTED.replace(/\n/g, ' '), 'limit_exceeded'],
  ['invalid skill / missing skill value', 'success', 'record inserted successfully and failed to insert skills please pass the valid skills', 'partial_success'],
];

describe('classify: every documented PhoneManageV2 answer, however padded', () => {
  for (const [label, status, message, kind] of table) {
    for (const [padLabel, pad] of pads) {
      it.each(MUTATIONS)(`${label}, ${padLabel}, on %s → ${kind}`, (action) => {
        const outcome = classify({ status: 200, headers: { 'content-type': 'application/json' }, body: body(status, pad(message)) }, action);
        expect(outcome.kind).toBe(kind);
        expect(isAmbiguous(outcome)).toBe(false);
        if (kind !== 'success' && kind !== 'partial_success') expect(outcome.retryable).toBe(false);
      });
    }
  }

  it('the get page\'s leading-space " userName or apiKey not valid" is an auth error', () => {
    expect(classify({ status: 200, body: body('error', ' userName or apiKey not valid') }, 'get').kind).toBe('auth_error');
  });

  it('the limit message with real line breaks inside the JSON string (raw, not escaped)', () => {
    const raw = `{"status":"error","message":"${LIMIT_AS_PRINTED}"}`;
    expect(classify({ status: 200, body: raw }, 'create').kind).toBe('limit_exceeded');
  });

  it('the JSON spacing of the documented samples ("status": "success") is read', () => {
    expect(classify({ status: 200, body: '{\n  "status": "success",\n  "message": "record inserted successfully"\n}' }, 'edit').kind).toBe('success');
  });

  it('the v2 get success body has no status: a record', () => {
    const o = classify({ status: 200, body: '{"phoneNumber": "94XXXXXX", "phoneName": "PaXXXXX"}' }, 'get');
    expect(o.kind).toBe('success');
    expect(JSON.stringify(fields(o).data)).toContain('94XXXXXX');
    expect(JSON.stringify(fields(o).data)).toContain('PaXXXXX');
  });

  it('401 Missing userName or apiKey is an auth error, not ambiguous', () => {
    for (const action of [...MUTATIONS, 'get'] as PhoneAction[]) {
      const o = classify({ status: 401, body: '{"status":"false","message":"Missing userName or apiKey"}' }, action);
      expect(o.kind).toBe('auth_error');
      expect(isAmbiguous(o)).toBe(false);
    }
  });

  it('405 and "Invalid Json Pass Valid Json" are definite refusals, never success, never ambiguous', () => {
    for (const action of MUTATIONS) {
      const a = classify({ status: 405, body: '{"status":"false","message":"Method Not Allowed"}' }, action);
      expect(a.kind).not.toBe('success');
      expect(isAmbiguous(a)).toBe(false);
      const b = classify({ status: 200, body: '{"status":"false","message":"Invalid Json Pass Valid Json"}' }, action);
      expect(b.kind).not.toBe('success');
      expect(isAmbiguous(b)).toBe(false);
    }
  });

  it('429 "Max limit exceeded" is rate limited, retryable even for a mutation, with Retry-After', () => {
    for (const action of MUTATIONS) {
      const o = classify({ status: 429, headers: { 'Retry-After': '7' }, body: '{"status": "error", "message": "Max limit exceeded"}' }, action);
      expect(o.kind).toBe('rate_limited');
      expect(o.retryable).toBe(true);
      expect(isAmbiguous(o)).toBe(false);
      expect(fields(o).retryAfterMs).toBe(7000);
      expect(mayRetry(o, 0, 2)).toBe(true);
    }
  });

  it('a 200 "Max limit exceeded" body is also rate limited', () => {
    expect(classify({ status: 200, body: '{"status": "error", "message": "Max limit exceeded"}' }, 'edit').kind).toBe('rate_limited');
  });

  it.each(['Token Expired', 'Invalid Token', 'Token Should Not be Null or Empty.'])('token rejection %s is an auth error a fresh token may fix', (message) => {
    for (const status of [200, 401]) {
      const o = classify({ status, body: JSON.stringify({ status: 'false', message, data: null }) }, 'edit');
      expect(o.kind).toBe('auth_error');
      expect(isAmbiguous(o)).toBe(false);
      expect(isTokenRejection(o)).toBe(true);
    }
  });

  it('5xx and an HTML page after a mutation may have arrived are ambiguous, need read-back, are never retried', () => {
    for (const action of MUTATIONS) {
      for (const r of [
        { status: 500, body: '{"status":"error","message":"Internal Server Error"}' },
        { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
        { status: 200, body: '{"status":"success","mess' },
      ]) {
        const o = classify(r, action);
        expect(isAmbiguous(o)).toBe(true);
        expect(needsReadBack(action, o)).toBe(true);
        expect(mayRetry(o, 0, 5)).toBe(false);
      }
    }
  });

  it('never throws, whatever the body', () => {
    for (const b of ['', 'null', '[]', '"x"', '{', '\uFEFF', '<html>', '{"status":1}']) {
      expect(() => classify({ status: 200, body: b }, 'edit')).not.toThrow();
      expect(classify({ status: 200, body: b }, 'edit').kind).not.toBe('success');
    }
  });
});

describe('retry and read-back policy', () => {
  it('a mutation that may have been delivered is unknown and ambiguous; one never sent may be retried', () => {
    for (const action of MUTATIONS) {
      const maybe = failureOutcome({ code: 'timeout', delivery: 'maybe_sent' }, action);
      expect(maybe.kind).toBe('unknown');
      expect(isAmbiguous(maybe)).toBe(true);
      expect(mayRetry(maybe, 0, 5)).toBe(false);
      expect(needsReadBack(action, maybe)).toBe(true);
      const reset = failureOutcome({ code: 'reset', delivery: 'maybe_sent' }, action);
      expect(mayRetry(reset, 0, 5)).toBe(false);
      const never = failureOutcome({ code: 'connect_failed', delivery: 'not_sent' }, action);
      expect(isAmbiguous(never)).toBe(false);
      expect(mayRetry(never, 0, 5)).toBe(true);
      expect(mayRetry(never, 5, 5)).toBe(false);
    }
  });

  it('a read that timed out may be retried', () => {
    const o = failureOutcome({ code: 'timeout', delivery: 'maybe_sent' }, 'get');
    expect(isAmbiguous(o)).toBe(false);
    expect(mayRetry(o, 0, 2)).toBe(true);
    expect(needsReadBack('get', o)).toBe(false);
  });
});

const params = (url: string) => new URL(url).searchParams;
const rawQuery = (url: string) => url.slice(url.indexOf('?') + 1);

describe('encodeV1: the legacy GET', () => {
  const edit: PhoneOperation = {
    action: 'edit',
    phoneNumber: '+919876543210',
    phoneName: 'Sales',
    phoneNumberNew: '+19876543211',
    phoneNameNew: 'Support',
    assignSkill: ['General', 'QA_Skill', 'kolm', 'lok', 'Python'],
    unAssignSkill: ['Old'],
  };

  it('is a GET on /CAServices/PhoneManageV2.php with everything in the query string', () => {
    const r = encodeV1(edit, creds);
    expect(r.method).toBe('GET');
    expect(new URL(r.url).pathname).toBe('/CAServices/PhoneManageV2.php');
    expect(r.body === undefined || r.body === '').toBe(true);
    const p = params(r.url);
    expect(p.get('action')).toBe('edit');
    expect(p.get('apiKey')).toBe(KEY);
    expect(p.get('userName')).toBe('acme');
    expect(p.get('phoneNumber')).toBe('+919876543210');
    expect(p.get('phoneName')).toBe('Sales');
    expect(p.get('phoneNumberNew')).toBe('+19876543211');
    expect(p.get('PhoneNameNew')).toBe('Support');
    expect(p.has('phoneNameNew')).toBe(false);
    expect(p.get('assignSkill')).toBe('General,QA_Skill,kolm,lok,Python');
    expect(p.get('unAssignSkill')).toBe('Old');
  });

  it('sends + as %2B, never raw', () => {
    const r = encodeV1(edit, creds);
    const q = rawQuery(r.url);
    expect(q).toContain('phoneNumber=%2B919876543210');
    expect(q).toContain('phoneNumberNew=%2B19876543211');
    expect(q).not.toContain('+');
  });

  it('create sends the singular `skill`, comma-separated; delete sends number and name', () => {
    const c = params(encodeV1({ action: 'create', phoneNumber: '+14155550100', phoneName: 'Desk', skill: ['General', 'QA_Skill'] }, creds).url);
    expect(c.get('action')).toBe('create');
    expect(c.get('skill')).toBe('General,QA_Skill');
    expect(c.has('assignSkill')).toBe(false);
    const d = params(encodeV1({ action: 'delete', phoneNumber: '5551234', phoneName: 'Desk' }, creds).url);
    expect([d.get('action'), d.get('phoneNumber'), d.get('phoneName')]).toEqual(['delete', '5551234', 'Desk']);
  });

  it('uses the documented default host and honours a baseUrl', () => {
    expect(DEFAULT_BASE_URL).toContain('in1-ccaas-api.ozonetel.com');
    expect(new URL(encodeV1(edit, creds).url).host).toBe('in1-ccaas-api.ozonetel.com');
    expect(new URL(encodeV1(edit, creds, { baseUrl: 'https://api.ccaas.ozonetel.com' }).url).host).toBe('api.ccaas.ozonetel.com');
  });
});

describe('encodeV2', () => {
  it('create, edit, delete: POST JSON to /ca_apis/PhoneManageV2 with the apiKey header, userName in the body', () => {
    for (const op of [
      { action: 'create', phoneNumber: '+919876543210', phoneName: 'Desk', skill: ['General', 'QA_Skill'] },
      { action: 'edit', phoneNumber: '+919876543210', phoneName: 'Desk', phoneNumberNew: '+919876543211', phoneNameNew: 'Desk2', assignSkill: ['General', 'QA_Skill'], unAssignSkill: ['Sales'] },
      { action: 'delete', phoneNumber: '+919876543210', phoneName: 'Desk' },
    ] as PhoneOperation[]) {
      const r = encodeV2(op, creds);
      expect(r.method).toBe('POST');
      expect(new URL(r.url).pathname).toBe('/ca_apis/PhoneManageV2');
      expect(r.url).not.toContain(KEY);
      const h = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(h['apikey']).toBe(KEY);
      expect(h['content-type']).toContain('application/json');
      expect(h['authorization']).toBeUndefined();
      const b = JSON.parse(r.body!);
      expect(b.action).toBe(op.action);
      expect(b.userName).toBe('acme');
      expect(b.phoneNumber).toBe('+919876543210');
      expect(r.body).not.toContain(KEY);
      if (op.action === 'edit') {
        expect(b.phoneNumberNew).toBe('+919876543211');
        expect(b.phoneNameNew ?? b.PhoneNameNew).toBe('Desk2');
        expect(b.assignSkill).toBe('General,QA_Skill');
        expect(b.unAssignSkill).toBe('Sales');
      }
      if (op.action === 'create') expect(b.skill).toBe('General,QA_Skill');
    }
  });

  it('get is a GET with a JSON body', () => {
    const r = encodeV2({ action: 'get', phoneNumber: '9876543210' }, creds);
    expect(r.method).toBe('GET');
    expect(JSON.parse(r.body!)).toEqual({ action: 'get', userName: 'acme', phoneNumber: '9876543210' });
    const byName = JSON.parse(encodeV2({ action: 'get', phoneName: 'Desk' }, creds).body!);
    expect(byName.phoneName).toBe('Desk');
  });

  it('token accounts send Authorization: Bearer <token> and no apiKey', () => {
    const r = encodeV2({ action: 'delete', phoneNumber: '5551234', phoneName: 'Desk' }, { userName: 'acme', token: TOKEN });
    const h = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(h['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(h['apikey']).toBeUndefined();
    expect(r.body).not.toContain(TOKEN);
  });
});

describe('token endpoint', () => {
  it('encodeTokenRequest: POST /ca_apis/CAToken/generateToken, apiKey header, body {"userName"}', () => {
    const r = encodeTokenRequest(creds);
    expect(r.method).toBe('POST');
    expect(new URL(r.url).pathname).toBe('/ca_apis/CAToken/generateToken');
    const h = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(h['apikey']).toBe(KEY);
    expect(JSON.parse(r.body!)).toEqual({ userName: 'acme' });
  });

  it('parseTokenResponse reads every documented answer', () => {
    expect(parseTokenResponse({ status: 200, body: `{"token": "${TOKEN}", "message": ""}` })).toEqual({ ok: true, token: TOKEN });
    for (const message of ['UserName is null', 'Invalid userName or apiKey', 'Token Expired']) {
      const r = parseTokenResponse({ status: 200, body: JSON.stringify({ status: 'false', message, data: null }) });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.outcome.kind).not.toBe('success');
    }
    const bad = parseTokenResponse({ status: 200, body: '{"status": "false", "message": "Invalid userName or apiKey", "data": null}' });
    expect(!bad.ok && bad.outcome.kind).toBe('auth_error');
  });
});

describe('validateOperation: the create rules', () => {
  const create = (phoneNumber: string, phoneName: string) => validateOperation({ action: 'create', phoneNumber, phoneName });

  it.each(['123', '12345678901234567', '+123', '+919876543210'])('accepts number %s', (n) => {
    expect(create(n, 'Desk').ok).toBe(true);
  });

  it.each(['12', '123456789012345678', '98abc', '', '91 98765', '++919876543210'])('refuses number %j, naming the field', (n) => {
    const r = create(n, 'Desk');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.some((i) => i.field === 'phoneNumber')).toBe(true);
  });

  it('accepts 16 digits by default and refuses 17 with maxPhoneDigits: 16', () => {
    expect(create('1234567890123456', 'Desk').ok).toBe(true);
    expect(validateOperation({ action: 'create', phoneNumber: '12345678901234567', phoneName: 'Desk' }, { maxPhoneDigits: 16 }).ok).toBe(false);
  });

  it.each(['Ab', 'a'.repeat(50), '+Desk', 'Front.Desk', 'a@b', 'a_b', 'a-b', 'a,b', 'Desk1'])('accepts name %j', (n) => {
    expect(create('9876543210', n).ok).toBe(true);
  });

  it.each(['A', 'a'.repeat(51), '.Desk', 'Desk.', '_Desk', 'Desk-', '@Desk', 'Desk,', '', 'De sk', 'De#sk'])('refuses name %j, naming the field', (n) => {
    const r = create('9876543210', n);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.some((i) => i.field === 'phoneName')).toBe(true);
      for (const i of r.issues) expect(i.message.length).toBeGreaterThan(0);
    }
  });

  it('get needs phoneNumber or phoneName; action is case sensitive', () => {
    expect(validateOperation({ action: 'get', phoneNumber: '9876543210' }).ok).toBe(true);
    expect(validateOperation({ action: 'get', phoneName: 'Desk' }).ok).toBe(true);
    expect(validateOperation({ action: 'get' }).ok).toBe(false);
    expect(validateOperation({ action: 'GET', phoneNumber: '9876543210' }).ok).toBe(false);
    expect(validateOperation({ action: 'list' }).ok).toBe(false);
  });

  it('skills may be given comma-separated and arrive as the same list', () => {
    const r = validateOperation({ action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk', assignSkill: 'General,QA_Skill,kolm,lok,Python' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(params(encodeV1(r.value, creds).url).get('assignSkill')).toBe('General,QA_Skill,kolm,lok,Python');
  });

  it('a + number survives validation and is sent as %2B on v1', () => {
    const r = validateOperation({ action: 'create', phoneNumber: '+919876543210', phoneName: 'Desk' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(rawQuery(encodeV1(r.value, creds).url)).toContain('phoneNumber=%2B919876543210');
  });
});

describe('redact', () => {
  it('removes the key and the token from v1 URLs, v2 headers and free text', () => {
    const v1 = encodeV1({ action: 'delete', phoneNumber: '5551234', phoneName: 'Desk' }, creds);
    const v2 = encodeV2({ action: 'delete', phoneNumber: '5551234', phoneName: 'Desk' }, creds);
    const tok = encodeV2({ action: 'delete', phoneNumber: '5551234', phoneName: 'Desk' }, { userName: 'acme', token: TOKEN });
    const out = JSON.stringify([redact(v1), redact(v2), redact(tok), redact(`GET ${v1.url} failed`), String(redact(new Error(`bad ${v1.url} Bearer ${TOKEN}`)))]);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('5551234');
  });
});
