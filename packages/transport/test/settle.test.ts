import type { Outcome, PhoneOperation } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { settleByReadBack } from '../src/settle.js';

const edit: PhoneOperation = { action: 'edit', phoneNumber: '111', phoneName: 'Old', phoneNumberNew: '222', phoneNameNew: 'New' };
const reset: Outcome = { kind: 'unknown', message: 'the connection was dropped', retryable: false, ambiguous: true, cause: 'reset' };
const oddSuccess: Outcome = { kind: 'unknown', message: 'record maybe inserted', retryable: false, ambiguous: true, httpStatus: 200, vendorStatus: 'success', vendorMessage: 'record maybe inserted' };
const conflict: Outcome = { kind: 'conflict', message: 'phone_name or phone_number already exist', retryable: false, ambiguous: false, httpStatus: 200 };
const judged = (verdict: 'applied' | 'not_applied' | 'unknown', skillsUnverified = false) => ({ verdict, skillsUnverified });

describe('settleByReadBack', () => {
  it('turns an applied ambiguous mutation into a success that keeps its cause', () => {
    expect(settleByReadBack(edit, reset, judged('applied'))).toMatchObject({ kind: 'success', ambiguous: false, retryable: false, cause: 'reset' });
  });
  it('turns a not-applied network failure into a retryable definite failure', () => {
    expect(settleByReadBack(edit, reset, judged('not_applied'))).toMatchObject({ kind: 'server_error', ambiguous: false, retryable: true });
  });
  it('keeps an unrecognised CloudAgent answer "unknown" (not retryable) when nothing was applied', () => {
    expect(settleByReadBack(edit, oddSuccess, judged('not_applied'))).toMatchObject({ kind: 'unknown', ambiguous: false, retryable: false, vendorMessage: 'record maybe inserted' });
  });
  it('after a gateway timeout (504) nothing applied yet is not called safe to resend: the upstream may still process it', () => {
    const gateway: Outcome = { kind: 'server_error', message: 'CloudAgent answered HTTP 504', retryable: false, ambiguous: true, httpStatus: 504 };
    const settled = settleByReadBack(edit, gateway, judged('not_applied'));
    expect(settled).toMatchObject({ kind: 'unknown', ambiguous: true, retryable: false, httpStatus: 504 });
    expect(settled.message).toContain('read back again');
    expect(settleByReadBack(edit, { ...gateway, httpStatus: 502, message: 'CloudAgent answered HTTP 502' }, judged('not_applied'))).toMatchObject({ retryable: true, ambiguous: false });
    const timedOut: Outcome = { kind: 'unknown', message: 'no answer before the timeout', retryable: false, ambiguous: true, cause: 'timeout' };
    expect(settleByReadBack(edit, timedOut, judged('not_applied'))).toMatchObject({ kind: 'unknown', ambiguous: true, retryable: false, cause: 'timeout' });
  });
  it('keeps the outcome ambiguous when the read-back could not tell', () => {
    expect(settleByReadBack(edit, reset, judged('unknown'))).toMatchObject({ kind: 'unknown', ambiguous: true, cause: 'reset' });
  });
  it('turns a conflict into "already done" only when the asked-for state is there', () => {
    expect(settleByReadBack(edit, conflict, judged('applied'))).toMatchObject({ kind: 'success', message: expect.stringMatching(/^already done/) });
    expect(settleByReadBack(edit, conflict, judged('not_applied'))).toBe(conflict);
    expect(settleByReadBack(edit, conflict, judged('unknown'))).toBe(conflict);
  });
  it('says when skills are unverified', () => {
    expect(settleByReadBack(edit, reset, judged('applied', true)).message).toContain('unverified');
  });
});
