import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAmbiguous } from './outcome.js';
import { classify } from './classify.js';
import { PHONE_ACTIONS, type PhoneAction } from './operation.js';
import { OUTCOME_KINDS } from './outcome.js';
import type { Outcome, PhoneRecord } from './outcome.js';

/** Reads the fields some kinds carry, across the union. */
const fields = (o: Outcome): Partial<{ field: string; data: PhoneRecord; retryAfterMs: number }> => o as never;

const json = (o: unknown) => JSON.stringify(o);
const answer = (status: string, message: string, http = 200) => ({ status: http, body: json({ status, message }) });

// Every documented PhoneManageV2 answer, verbatim from the reference.
const LIMIT = " Phone Number Limit Exceeded. Please\nrefer to the 'Phone Number Creation Limit' option under 'Edit Profile'\nfor reference. ";
const documented: [string, string, string, string | undefined][] = [
  ['success', 'record inserted successfully', 'success', undefined],
  ['error', 'userName or apiKey not valid', 'auth_error', undefined],
  ['error', ' userName or apiKey not valid', 'auth_error', undefined],
  ['error', 'action not valid', 'invalid_action', undefined],
  ['error', 'phoneNumber must be numeric', 'validation_error', 'phoneNumber'],
  ['error', 'phoneName cannot be empty', 'validation_error', 'phoneName'],
  ['error', 'phoneNumber cannot be empty', 'validation_error', 'phoneNumber'],
  ['error', 'phone_name or phone_number already exist', 'conflict', undefined],
  ['error', 'phoneNumber should be between 3 to 17 digits long and allows prefix +', 'validation_error', 'phoneNumber'],
  [
    'error',
    'phoneName should be between 2 to 50 alphanumeric characters long allows prefix + and special characters like .,@,_,- and Name cannot start and end with Special characters.',
    'validation_error',
    'phoneName',
  ],
  ['error', LIMIT, 'limit_exceeded', undefined],
  ['error', LIMIT.replace(/\n/g, '\r\n'), 'limit_exceeded', undefined],
  ['error', LIMIT.replace(/\n/g, ' ').trim(), 'limit_exceeded', undefined],
  ['success', 'record inserted successfully and failed to insert skills please pass the valid skills', 'partial_success', 'skill'],
  ['error', 'Max limit exceeded', 'rate_limited', undefined],
];

describe('classify: every documented answer', () => {
  for (const action of ['create', 'edit', 'delete'] as const) {
    it.each(documented)(`${action}: %s %j`, (status, message, kind, field) => {
      const outcome = classify(answer(status, message), action);
      expect(outcome.kind).toBe(kind);
      expect(fields(outcome).field).toBe(field);
      expect(outcome.vendorMessage).toBe(message);
      expect(isAmbiguous(outcome)).toBe(false);
      expect(outcome.applied).toBe(kind === 'success' || kind === 'partial_success' ? 'yes' : 'no');
      expect(outcome.message).not.toMatch(/\n/);
    });
  }

  it('recognises case differences, padding and a byte-order mark', () => {
    expect(classify({ status: 200, body: '\uFEFF' + json({ status: 'SUCCESS', message: '  Record Inserted Successfully \r\n' }) }, 'edit').kind).toBe('success');
    expect(classify(answer('Error', 'PHONE_NAME OR PHONE_NUMBER ALREADY EXIST'), 'edit').kind).toBe('conflict');
    expect(classify(answer('error', '\uFEFFaction not valid'), 'edit').kind).toBe('invalid_action');
  });

  it('reads the v2 get record, which has no status', () => {
    const outcome = classify({ status: 200, body: json({ phoneNumber: '94XXXXXX', phoneName: 'PaXXXXX' }) }, 'get');
    expect(outcome).toMatchObject({ kind: 'success', data: { phoneNumber: '94XXXXXX', phoneName: 'PaXXXXX' } });
  });

  it('does not take a bare record as success for a mutation', () => {
    expect(classify({ status: 200, body: json({ phoneNumber: '94', phoneName: 'P' }) }, 'edit').kind).toBe('unknown');
  });
});

describe('classify: the token envelope and sibling endpoints', () => {
  it.each([
    ['UserName is null', 'validation_error', 'userName'],
    ['Invalid userName or apiKey', 'auth_error', undefined],
    ['Token Expired', 'auth_error', 'token'],
    ['Invalid Token', 'auth_error', 'token'],
    ['Token Should Not be Null or Empty.', 'auth_error', 'token'],
    ['Invalid Json Pass Valid Json', 'validation_error', undefined],
  ])('%s', (message, kind, field) => {
    const outcome = classify({ status: 200, body: json({ status: 'false', message, data: null }) }, 'edit');
    expect(outcome.kind).toBe(kind);
    expect(fields(outcome).field).toBe(field);
  });

  it("HTTP 401 with CloudAgent's envelope is an auth error; a gateway's 401 page to a mutation is ambiguous", () => {
    expect(classify({ status: 401, body: json({ status: 'false', message: 'Missing userName or apiKey' }) }, 'edit').kind).toBe('auth_error');
    expect(classify({ status: 401, body: '<html>no</html>' }, 'create').kind).toBe('unknown');
    expect(classify({ status: 401, body: '<html>no</html>' }, 'get').kind).toBe('auth_error');
  });

  it('HTTP 429 is rate limited and retryable, with Retry-After in ms', () => {
    const seconds = classify({ status: 429, headers: { 'Retry-After': '7' }, body: json({ status: 'error', message: 'Max limit exceeded' }) }, 'edit');
    expect(seconds).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 7000 });
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    const date = classify({ status: 429, headers: { 'retry-after': new Date(now + 3000).toUTCString() }, body: '' }, 'get', { now });
    expect(fields(date).retryAfterMs).toBe(3000);
  });

  it('carries the request id', () => {
    expect(classify({ status: 200, headers: { 'X-Request-Id': 'abc' }, body: json({ status: 'success', message: 'record inserted successfully' }) }, 'edit').requestId).toBe('abc');
  });
});

describe('classify: what is not a CloudAgent answer', () => {
  const garbage = ['', '   ', '<html><body>502 Bad Gateway</body></html>', '{"status":"success","mess', '[]', '"success"', 'null', '42', '{}'];
  it.each(garbage)('body %j on a 200 is unknown (ambiguous) for a mutation, a server error for a read', (body) => {
    const edit = classify({ status: 200, body }, 'edit');
    expect(edit).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
    const get = classify({ status: 200, body }, 'get');
    expect(get).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it.each([500, 502, 503, 504])('HTTP %i is a server error; retryable only for reads', (status) => {
    expect(classify({ status, body: 'oops' }, 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
    expect(classify({ status, body: 'oops' }, 'get')).toMatchObject({ kind: 'server_error', retryable: true });
  });

  it('a 5xx carrying a success body is still not a success', () => {
    expect(classify({ status: 500, body: json({ status: 'success', message: 'record inserted successfully' }) }, 'edit').kind).not.toBe('success');
  });

  it.each([400, 401, 403, 404, 405, 429])("a gateway's HTML %i page to a mutation is not CloudAgent's answer: ambiguous", (status) => {
    expect(classify({ status, body: '<html>Not Found</html>' }, 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false });
  });

  it('a 4xx page to a read is a server error, not retried', () => {
    expect(classify({ status: 404, body: '<html>Not Found</html>' }, 'get')).toMatchObject({ kind: 'server_error', retryable: false });
  });
});

describe('classify: unfamiliar answers', () => {
  it('status success with an unfamiliar or missing message is unknown and ambiguous', () => {
    expect(classify(answer('success', 'record updated successfully'), 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(classify({ status: 200, body: json({ status: 'success' }) }, 'delete')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(classify(answer('success', ''), 'create')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });

  it('status error with an unfamiliar message is rejected: a definite refusal, words kept verbatim', () => {
    expect(classify(answer('error', 'Number is blocked by the operator '), 'edit')).toMatchObject({ kind: 'rejected', applied: 'no', vendorMessage: 'Number is blocked by the operator ', retryable: false });
    expect(classify(answer('error', 'Number is blocked by the operator'), 'get')).toMatchObject({ kind: 'rejected', retryable: false });
    expect(classify(answer('error', 'Number is blocked by the operator'), 'get')).not.toHaveProperty('applied');
  });

  it('a refusal in unfamiliar words with a 5xx may come from anything after applying: ambiguous', () => {
    expect(classify({ status: 500, body: json({ status: 'error', message: 'Internal error' }) }, 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });

  it('a mismatched status never turns an error message into success', () => {
    expect(classify(answer('error', 'record inserted successfully'), 'edit').kind).not.toBe('success');
  });
});

describe('classify is total', () => {
  it('never throws and never calls anything success that is not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 999 }),
        fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"status":"success","message":"record inserted successfully"}')),
        fc.constantFrom<PhoneAction>(...PHONE_ACTIONS),
        fc.option(fc.dictionary(fc.string(), fc.string())),
        (status, body, action, headers) => {
          const outcome = classify({ status, body, ...(headers ? { headers } : {}) }, action);
          expect(OUTCOME_KINDS).toContain(outcome.kind);
          expect(typeof outcome.message).toBe('string');
          if (outcome.kind === 'success') {
            expect(status).toBeGreaterThanOrEqual(200);
            expect(status).toBeLessThan(300);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('survives hostile input objects', () => {
    expect(classify({ status: 200, body: undefined as unknown as string }, 'edit').kind).toBe('unknown');
    expect(classify(null as unknown as { status: number; body: string }, 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
    expect(classify(null as unknown as { status: number; body: string }, 'get').kind).toBe('server_error');
  });
});

describe('classify: line breaks sent raw inside the JSON string', () => {
  // The seed page prints the limit message across three lines. A server that writes it without
  // escaping sends raw control characters inside a JSON string, which JSON.parse refuses.
  const rawLimit = `{"status":"error","message":"${LIMIT}"}`;
  it.each([
    ['LF', rawLimit],
    ['CRLF', rawLimit.replace(/\n/g, '\r\n')],
    ['LF, pretty-printed object', `{\n  "status": "error",\n  "message": "${LIMIT}"\n}`],
  ])('recognises the limit message with raw %s line breaks', (_name, body) => {
    const outcome = classify({ status: 200, body }, 'create');
    expect(outcome).toMatchObject({ kind: 'limit_exceeded', retryable: false });
    expect(outcome.vendorMessage).toContain('Edit Profile');
  });

  it('keeps escaped quotes and backslashes intact while escaping raw breaks', () => {
    const outcome = classify({ status: 200, body: '{"status":"error","message":"say \\"hi\\"\nthen \\\\ bye"}' }, 'edit');
    expect(outcome.vendorMessage).toBe('say "hi"\nthen \\ bye');
  });

  it('still calls a broken body broken', () => {
    expect(classify({ status: 200, body: '{"status":"success",\n"message":"record inserted' }, 'edit')).toMatchObject({ kind: 'unknown', applied: 'unknown' });
  });
});
