import { describe, expect, it } from 'vitest';
import type { Outcome, PhoneOperation } from './index.js';
import { settleByReadBack } from './read-back.js';

const edit: PhoneOperation = { action: 'edit', phoneNumber: '111', phoneName: 'Old', phoneNumberNew: '222', phoneNameNew: 'New' };
const reset: Outcome = { kind: 'unknown', message: 'the connection was dropped', retryable: false, applied: 'unknown', cause: 'reset' };
const oddSuccess: Outcome = { kind: 'unknown', message: 'record maybe inserted', retryable: false, applied: 'unknown', httpStatus: 200, vendorStatus: 'success', vendorMessage: 'record maybe inserted', cause: 'unfamiliar_success' };
const conflict: Outcome = { kind: 'conflict', message: 'phone_name or phone_number already exist', retryable: false, applied: 'no', httpStatus: 200 };
const judged = (verdict: 'applied' | 'not_applied' | 'unknown', skillsUnverified = false) => ({ verdict, skillsUnverified });

describe('settleByReadBack', () => {
  it('turns an applied ambiguous mutation into a success', () => {
    expect(settleByReadBack(edit, reset, judged('applied'))).toMatchObject({ kind: 'success', applied: 'yes', retryable: false });
  });
  it('turns a not-applied network failure into a definite failure: safe to send again, by hand', () => {
    expect(settleByReadBack(edit, reset, judged('not_applied'))).toMatchObject({ kind: 'server_error', applied: 'no', retryable: true, cause: 'reset' });
  });
  it('an unfamiliar success read back as not applied is proven not applied, its words kept', () => {
    expect(settleByReadBack(edit, oddSuccess, judged('not_applied'))).toMatchObject({ kind: 'server_error', applied: 'no', vendorMessage: 'record maybe inserted' });
  });
  it('after a gateway timeout (504) or ours, nothing applied yet is not called safe to resend: the upstream may still process it', () => {
    const gateway: Outcome = { kind: 'unknown', message: 'CloudAgent answered HTTP 504', retryable: false, applied: 'unknown', httpStatus: 504, cause: 'http_status' };
    const settled = settleByReadBack(edit, gateway, judged('not_applied'));
    expect(settled).toMatchObject({ kind: 'unknown', applied: 'unknown', retryable: false, httpStatus: 504 });
    expect(settled.message).toContain('read back again');
    expect(settleByReadBack(edit, { ...gateway, httpStatus: 502, message: 'CloudAgent answered HTTP 502' }, judged('not_applied'))).toMatchObject({ kind: 'server_error', applied: 'no' });
    const timedOut: Outcome = { kind: 'unknown', message: 'no answer before the timeout', retryable: false, applied: 'unknown', cause: 'timeout' };
    expect(settleByReadBack(edit, timedOut, judged('not_applied'))).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'timeout' });
  });
  it('keeps the outcome ambiguous when the read-back could not tell', () => {
    expect(settleByReadBack(edit, reset, judged('unknown'))).toMatchObject({ kind: 'unknown', applied: 'unknown', cause: 'reset' });
  });
  it('turns a conflict into "already done" only when the asked-for state is there', () => {
    expect(settleByReadBack(edit, conflict, judged('applied'))).toMatchObject({ kind: 'success', message: expect.stringMatching(/^already done/) });
    expect(settleByReadBack(edit, conflict, judged('not_applied'))).toBe(conflict);
    expect(settleByReadBack(edit, conflict, judged('unknown'))).toBe(conflict);
  });
  it('leaves every other kind alone', () => {
    const refused: Outcome = { kind: 'rejected', message: 'no', vendorMessage: 'no', retryable: false, applied: 'no' };
    expect(settleByReadBack(edit, refused, judged('applied'))).toBe(refused);
  });
  it('says when skills are unverified', () => {
    expect(settleByReadBack(edit, reset, judged('applied', true)).message).toContain('unverified');
  });
});
