import { describe, expect, it } from 'vitest';
import { VENDOR_MESSAGES as M, classify, failureOutcome } from '@cloudagent-phone/core';
import { answerFromV2 } from './answer-from-v2.js';
import { SHIM_MESSAGES, v1Body } from './v1-answer.js';

const v2 = (status: number, body: unknown, headers: Record<string, string> = {}) => classify({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }, 'create');

describe('answerFromV2', () => {
  it("restores v1's exact bytes whatever padding or wrapping v2 used", () => {
    const padded = v2(200, { status: 'error', message: '  Phone Number Limit Exceeded. Please refer to the \'Phone Number Creation Limit\' option under \'Edit Profile\' for reference.' });
    expect(v1Body(answerFromV2(padded, 'create'))).toBe(JSON.stringify({ status: 'error', message: M.limitExceeded }));
    expect(v1Body(answerFromV2(v2(200, { status: 'error', message: 'phoneNumber should be between 3 to 17 digits long and allows prefix + ' }), 'create'))).toBe(
      JSON.stringify({ status: 'error', message: M.numberLength }),
    );
  });

  it("translates v2's own auth failure (401 Missing userName or apiKey) into v1's words", () => {
    const a = answerFromV2(v2(401, { status: 'false', message: M.missingCredentials }), 'create');
    expect([a.httpStatus, a.status, a.message]).toEqual([200, 'error', M.authInvalid]);
  });

  it('says success only when v2 did; partial success when an empty skill was dropped', () => {
    const ok = v2(200, { status: 'success', message: M.success });
    expect(answerFromV2(ok, 'create').message).toBe(M.success);
    expect(answerFromV2(ok, 'create', { skillsDropped: true })).toMatchObject({ status: 'success', message: M.partialSkills });
    expect(answerFromV2(v2(200, { status: 'success', message: 'record updated' }), 'create')).toMatchObject({ httpStatus: 504, status: 'error', message: SHIM_MESSAGES.outcomeUnknown });
  });

  it('answers 502 (safe to retry) when nothing was applied and 504 (check first) when it may have been', () => {
    expect(answerFromV2(failureOutcome({ code: 'connect_failed', delivery: 'not_sent' }, 'create'), 'create')).toMatchObject({ httpStatus: 502, message: SHIM_MESSAGES.notApplied });
    expect(answerFromV2(failureOutcome({ code: 'timeout', delivery: 'maybe_sent' }, 'edit'), 'edit')).toMatchObject({ httpStatus: 504, message: SHIM_MESSAGES.outcomeUnknown });
    expect(answerFromV2(v2(502, '<html>Bad Gateway</html>'), 'create')).toMatchObject({ httpStatus: 504 });
    // A gateway's HTML 404 page after a create may have come after CloudAgent applied it.
    expect(answerFromV2(v2(404, '<html>Not Found</html>'), 'create')).toMatchObject({ httpStatus: 504, headers: { 'X-Shim-Outcome': 'unknown' } });
    expect(answerFromV2(v2(200, '{"status":"succ'), 'create')).toMatchObject({ httpStatus: 504 });
  });

  it('passes on rate limiting as the sibling v1 APIs did, with Retry-After', () => {
    const a = answerFromV2(v2(429, { status: 'error', message: M.rateLimited }, { 'retry-after': '7' }), 'create');
    expect([a.httpStatus, v1Body(a), a.headers?.['Retry-After']]).toEqual([200, '{"status":"error","message":"Max limit exceeded"}', '7']);
  });

  it('passes on a refusal in words v1 never used, and a not-found, verbatim', () => {
    const a = answerFromV2(v2(200, { status: 'error', message: 'phoneNumber does not exist' }), 'create');
    expect([a.httpStatus, a.status, a.message, a.v1Message, a.outcome]).toEqual([200, 'error', 'phoneNumber does not exist', false, 'not_found']);
    const b = answerFromV2(v2(200, { status: 'error', message: 'Number is blocked' }), 'create');
    expect([b.httpStatus, b.status, b.message, b.outcome]).toEqual([200, 'error', 'Number is blocked', 'rejected']);
  });
});
