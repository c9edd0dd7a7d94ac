import { describe, expect, it } from 'vitest';
import { classify, parseRetryAfter } from './classify.js';
import { VENDOR_MESSAGES as M } from './messages.js';
import type { PhoneAction } from './operation.js';
import type { Outcome, PhoneRecord } from './outcome.js';

/** Reads the fields some kinds carry, across the union. */
const fields = (o: Outcome): Partial<{ field: string; data: PhoneRecord; retryAfterMs: number }> => o as never;

// Written from docs/reference/cloudagent-phone-api.md: every documented answer in the shapes a
// server, a proxy or a legacy PHP stack actually puts on the wire.

const MUTATIONS = ['create', 'edit', 'delete'] as const;
const body = (o: unknown) => JSON.stringify(o);
const ok = (o: unknown, headers?: Record<string, string | string[]>) => ({ status: 200, body: body(o), ...(headers ? { headers } : {}) });

describe('the documented success, for every mutation', () => {
  it.each(MUTATIONS)('%s: {"status":"success","message":"record inserted successfully"} is success', (action) => {
    const o = classify(ok({ status: 'success', message: M.success }), action);
    expect(o).toMatchObject({ kind: 'success', retryable: false, httpStatus: 200, vendorStatus: 'success', vendorMessage: M.success });
  });

  it('the same body in answer to get is not a record (get answers with the record itself)', () => {
    expect(classify(ok({ status: 'success', message: M.success }), 'get')).toMatchObject({ kind: 'server_error', cause: 'unfamiliar_success' });
  });

  it.each(MUTATIONS)('%s: the partial success is partial_success on the skill field', (action) => {
    expect(classify(ok({ status: 'success', message: M.partialSkills }), action)).toMatchObject({ kind: 'partial_success', field: 'skill' });
  });

  it.each([
    ['status true (boolean)', { status: true, message: M.success }],
    ['status "true"', { status: 'true', message: M.success }],
    ['status padded, upper case', { status: ' SUCCESS ', message: M.success }],
    ['message with CRLF and padding', { status: 'success', message: '\r\n Record  Inserted\r\nSuccessfully \r\n' }],
    ['message with a BOM', { status: 'success', message: '\uFEFFrecord inserted successfully' }],
    ['extra fields', { status: 'success', message: M.success, data: null, code: 200 }],
  ])('%s is success', (_name, answer) => {
    expect(classify(ok(answer), 'edit').kind).toBe('success');
  });

  it('a body with a BOM, CRLF and padding around the JSON is read', () => {
    expect(classify({ status: 200, body: `\uFEFF\r\n  ${body({ status: 'success', message: M.success })}\r\n` }, 'create').kind).toBe('success');
  });
});

describe('the phone-number limit message, in every shape it may arrive', () => {
  const variants = [
    ['as the seed page prints it', M.limitExceeded],
    ['CRLF line breaks', M.limitExceeded.replace(/\n/g, '\r\n')],
    ['one line, no padding', M.limitExceeded.replace(/\s+/g, ' ').trim()],
    ['literal backslash-n (escaped twice)', M.limitExceeded.replace(/\n/g, '\\n')],
    ['tabs and double spaces', M.limitExceeded.replace(/\n/g, '\t').replace(/ /g, '  ')],
    ['upper case', M.limitExceeded.toUpperCase()],
    ['a BOM in front', `\uFEFF${M.limitExceeded}`],
    ['only its first sentence', 'Phone Number Limit Exceeded.'],
  ];
  it.each(variants)('%s', (_name, message) => {
    for (const action of MUTATIONS) {
      const o = classify(ok({ status: 'error', message }), action);
      expect(o).toMatchObject({ kind: 'limit_exceeded', retryable: false });
      expect(o.message).not.toMatch(/[\r\n\t]/);
    }
  });

  it('with status false as a JSON boolean', () => {
    expect(classify(ok({ status: false, message: M.limitExceeded }), 'create')).toMatchObject({ kind: 'limit_exceeded', vendorStatus: 'false' });
  });
});

describe('status given as a boolean', () => {
  it.each([
    [M.tokenExpired, 'auth_error', 'token'],
    [M.authInvalid, 'auth_error', undefined],
    [M.alreadyExists, 'conflict', undefined],
    [M.rateLimited, 'rate_limited', undefined],
  ])('status false with %j', (message, kind, field) => {
    const o = classify(ok({ status: false, message, data: null }), 'edit');
    expect(o).toMatchObject({ kind, vendorStatus: 'false' });
    expect(fields(o).field).toBe(field);
  });

  it('status false with an unfamiliar message is a refusal (rejected), not ambiguous', () => {
    expect(classify(ok({ status: false, message: 'something new' }), 'edit')).toMatchObject({ kind: 'rejected', applied: 'no', vendorMessage: 'something new', retryable: false });
  });
});

describe('answers the reference lists, with padding and case', () => {
  it.each([
    [` ${M.authInvalid}`, 'auth_error', undefined],
    [`${M.authInvalid.toUpperCase()}\r\n`, 'auth_error', undefined],
    ['Action Not Valid', 'invalid_action', undefined],
    [' phoneNumber must be numeric ', 'validation_error', 'phoneNumber'],
    ['phonename cannot be empty', 'validation_error', 'phoneName'],
    ['PHONENUMBER CANNOT BE EMPTY', 'validation_error', 'phoneNumber'],
    ['phone_name or phone_number already exists', 'conflict', undefined],
    ['phoneNumber should be between 3 to 16 digits long and allows prefix +', 'validation_error', 'phoneNumber'],
  ])('%j', (message, kind, field) => {
    const o = classify(ok({ status: 'error', message }), 'edit');
    expect(o.kind).toBe(kind);
    expect(fields(o).field).toBe(field);
  });

  it('the get pages\' leading-space auth message, on get', () => {
    expect(classify(ok({ status: 'error', message: M.authInvalidGet }), 'get')).toMatchObject({ kind: 'auth_error', retryable: false });
  });
});

describe('the v2 get record', () => {
  it('tolerates extra fields and a status', () => {
    const o = classify(ok({ status: 'success', phoneNumber: '+919876543210', phoneName: 'Sales', skills: 'General', id: 7 }), 'get');
    expect(o).toMatchObject({ kind: 'success', data: { phoneNumber: '+919876543210', phoneName: 'Sales' } });
    expect(Object.keys(fields(o).data!)).toEqual(['phoneNumber', 'phoneName']);
  });

  it('reads numbers sent as JSON numbers, every digit kept', () => {
    expect(fields(classify({ status: 200, body: '{"phoneNumber": 919876543210, "phoneName": "Sales"}' }, 'get')).data).toEqual({
      phoneNumber: '919876543210',
      phoneName: 'Sales',
    });
    // 17 digits: beyond what a double holds exactly.
    expect(fields(classify({ status: 200, body: '{"phoneName":"Desk","phoneNumber":12345678901234567}' }, 'get')).data?.phoneNumber).toBe('12345678901234567');
    expect(fields(classify({ status: 200, body: '{"phoneNumber":919876543210,"phoneName":12345}' }, 'get')).data).toEqual({
      phoneNumber: '919876543210',
      phoneName: '12345',
    });
  });

  it('takes the digits from the field itself, not from a nested namesake', () => {
    expect(fields(classify({ status: 200, body: '{"previous":{"phoneNumber":1},"phoneNumber":919876543210,"phoneName":"S"}' }, 'get')).data?.phoneNumber).toBe('919876543210');
  });

  it('a record with a missing name is not a record', () => {
    expect(classify(ok({ phoneNumber: '9198' }), 'get').kind).toBe('server_error');
    expect(classify(ok({ phoneNumber: null, phoneName: 'x' }), 'get').kind).toBe('server_error');
  });

  it('a record on a non-2xx is not a success', () => {
    expect(classify({ status: 500, body: body({ phoneNumber: '1', phoneName: 'x' }) }, 'get').kind).toBe('server_error');
  });
});

describe('HTTP statuses the reference and sibling endpoints show', () => {
  it.each([401, 403])('%i with a CloudAgent body is auth_error; a bare %i page to a mutation may come from a gateway after applying', (status) => {
    for (const action of [...MUTATIONS, 'get'] as PhoneAction[]) {
      expect(classify({ status, body: body({ status: 'false', message: 'Access denied' }) }, action)).toMatchObject({ kind: 'auth_error', retryable: false });
    }
    for (const action of MUTATIONS) expect(classify({ status, body: '' }, action)).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
    expect(classify({ status, body: '' }, 'get')).toMatchObject({ kind: 'auth_error', retryable: false });
  });

  it('401 with the token envelope names the token', () => {
    expect(classify({ status: 401, body: body({ status: 'false', message: 'Invalid Token', data: null }) }, 'edit')).toMatchObject({ kind: 'auth_error', field: 'token' });
  });

  it("429 with CloudAgent's envelope is rate_limited and retryable even for a mutation; a bare 429 page is not CloudAgent's", () => {
    expect(classify({ status: 429, body: body({ status: 'error', message: M.rateLimited }) }, 'create')).toMatchObject({ kind: 'rate_limited', retryable: true, applied: 'no' });
    for (const b of ['', '<html>Too Many</html>']) {
      expect(classify({ status: 429, body: b }, 'create')).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
      expect(classify({ status: 429, body: b }, 'get')).toMatchObject({ kind: 'rate_limited', retryable: true });
    }
  });

  it.each([500, 502, 503, 504, 520])('%i is ambiguous for a mutation and retryable for get', (status) => {
    const html = '<html><body><h1>Bad Gateway</h1></body></html>';
    for (const action of MUTATIONS) expect(classify({ status, body: html }, action)).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
    expect(classify({ status, body: html }, 'get')).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it('405 with the "Invalid Json" envelope is a refusal', () => {
    expect(classify({ status: 405, body: body({ status: 'false', message: M.invalidJson }) }, 'edit')).toMatchObject({ kind: 'validation_error' });
  });

  it.each([301, 302, 307, 308])('a %i redirect (not followed) is not a CloudAgent answer: ambiguous for a mutation, and it points at baseUrl', (status) => {
    const o = classify({ status, headers: { location: 'https://elsewhere.example/' }, body: '' }, 'edit');
    expect(o).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'redirect', retryable: false });
    expect(o.message).toContain('baseUrl');
    expect(classify({ status, body: '' }, 'get')).toMatchObject({ kind: 'server_error', cause: 'redirect', retryable: false });
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);
  it.each([
    ['7', 7000],
    [' 7 ', 7000],
    ['0', 0],
    ['1.5', 1500],
    ['120, 120', 120_000],
    [new Date(now + 3000).toUTCString(), 3000],
    ['Friday, 27-Nov-26 12:00:05 GMT', 5000],
    ['Fri Nov 27 12:00:09 2026', 9000],
    [new Date(now - 60_000).toUTCString(), 0],
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
  ])('%j -> %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('an HTTP date without a clock gives no delay rather than a guess', () => {
    expect(parseRetryAfter(new Date(now).toUTCString())).toBeUndefined();
  });

  it('is read in any case, from a header array, on a 429, a 503 and a 200 "Max limit exceeded"', () => {
    expect(fields(classify({ status: 429, headers: { 'RETRY-AFTER': ['12', '30'] }, body: '' }, 'edit')).retryAfterMs).toBe(12_000);
    expect(fields(classify({ status: 503, headers: { 'Retry-After': '3' }, body: '' }, 'get')).retryAfterMs).toBe(3000);
    expect(classify(ok({ status: 'error', message: M.rateLimited }, { 'retry-after': '60' }), 'create')).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 60_000 });
  });
});

describe('a v1 answer after PHP notices', () => {
  const notice = '<br />\n<b>Notice</b>:  Undefined index: PhoneNameNew in <b>/var/www/PhoneManageV2.php</b> on line <b>12</b><br />\n';
  it.each([
    [{ status: 'success', message: M.success }, 'success'],
    [{ status: 'error', message: M.alreadyExists }, 'conflict'],
    [{ message: M.limitExceeded, status: 'error' }, 'limit_exceeded'],
  ])('%j behind a notice is read', (answer, kind) => {
    expect(classify({ status: 200, body: notice + JSON.stringify(answer) }, 'edit').kind).toBe(kind);
  });

  it('an HTML page that merely ends in a brace, or a truncated object, is not an answer (ambiguous)', () => {
    expect(classify({ status: 200, body: '<html><script>var a = {}</script>}' }, 'edit').kind).toBe('unknown');
    expect(classify({ status: 200, body: '<html><script>var a = {}</script>}' }, 'get').kind).toBe('server_error');
    expect(classify({ status: 200, body: `${notice}{"status":"success","message":"record inserted successfully"` }, 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });
});

describe('contradictory or unfamiliar answers', () => {
  it('an error status whose message says the record was inserted is ambiguous for a mutation', () => {
    expect(classify(ok({ status: 'error', message: M.success }), 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
    expect(classify(ok({ status: 'false', message: M.partialSkills }), 'create')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });

  it('carries the request id from the common header names', () => {
    expect(classify({ status: 200, headers: { 'cf-ray': 'ray', 'X-Request-ID': 'rid' }, body: '' }, 'edit').requestId).toBe('rid');
    expect(classify({ status: 200, headers: { 'x-correlation-id': ['c1'] }, body: '' }, 'edit').requestId).toBe('c1');
  });
});
