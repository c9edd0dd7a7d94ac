import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { nextStep } from './next-step.js';
import { PHONE_ACTIONS } from './operation.js';
import { failureOutcome } from './policy.js';
import { OUTCOME_KINDS, appliedOf } from './outcome.js';
import { judgeReadBack, settleByReadBack } from './read-back.js';

const body = (o: unknown) => JSON.stringify(o);
const ok = (o: unknown, status = 200) => ({ status, body: body(o) });

describe('not_found: the wordings CloudAgent may use (docs/decisions.md)', () => {
  it.each([
    ['phoneNumber does not exist', 'phoneNumber', false],
    ['phoneName does not exist', 'phoneName', false],
    ['Phone Number not found', 'phoneNumber', false],
    ['phone number 919876543210 does not exist.', 'phoneNumber', false],
    ['PhoneName Not Exists', 'phoneName', false],
    ['No record found', undefined, false],
    ['Record not found', undefined, false],
    ['phoneName does not match phoneNumber', 'phoneName', true],
    ['phoneNumber and phoneName do not match', 'phoneName', true],
  ])('%j', (message, field, nameMismatch) => {
    for (const action of PHONE_ACTIONS) {
      const o = classify(ok({ status: 'error', message }), action);
      expect(o).toMatchObject({ kind: 'not_found', nameMismatch, retryable: false });
      if (o.kind === 'not_found') expect(o.field).toBe(field);
      expect(o.applied).toBe(action === 'get' ? undefined : 'no');
    }
  });

  it('does not take validation or unrelated refusals for not found', () => {
    expect(classify(ok({ status: 'error', message: 'phoneNumber cannot be empty' }), 'edit').kind).toBe('validation_error');
    expect(classify(ok({ status: 'error', message: 'Number is blocked' }), 'edit').kind).toBe('rejected');
    expect(classify(ok({ status: 'error', message: 'name cannot start and end with special characters' }), 'edit').kind).toBe('rejected');
  });
});

describe('applied is decided by the kind alone', () => {
  it('for every kind', () => {
    expect(OUTCOME_KINDS.map((k) => [k, appliedOf(k)])).toEqual([
      ['success', 'yes'],
      ['partial_success', 'yes'],
      ['auth_error', 'no'],
      ['invalid_action', 'no'],
      ['validation_error', 'no'],
      ['conflict', 'no'],
      ['not_found', 'no'],
      ['limit_exceeded', 'no'],
      ['rate_limited', 'no'],
      ['rejected', 'no'],
      ['server_error', 'no'],
      ['unknown', 'unknown'],
    ]);
  });

  it('a mutation outcome always carries it and a read never does', () => {
    const answers = [ok({ status: 'success', message: 'record inserted successfully' }), { status: 502, body: '<html>' }, ok({ status: 'error', message: 'x' })];
    for (const r of answers) {
      for (const action of PHONE_ACTIONS) {
        const o = classify(r, action);
        if (action === 'get') expect(o).not.toHaveProperty('applied');
        else expect(o.applied).toBe(appliedOf(o.kind));
      }
    }
  });
});

describe('nextStep', () => {
  it('renders every kind for a mutation', () => {
    const step = (r: { status: number; body: string }) => nextStep(classify(r, 'edit'), 'edit').step;
    expect(step(ok({ status: 'success', message: 'record inserted successfully' }))).toBe('done');
    expect(nextStep(classify(ok({ status: 'success', message: 'record inserted successfully and failed to insert skills please pass the valid skills' }), 'edit'), 'edit')).toMatchObject({ step: 'done', skillsNotApplied: true });
    expect(step(ok({ status: 'error', message: 'userName or apiKey not valid' }))).toBe('fix_credentials');
    expect(nextStep(classify(ok({ status: 'error', message: 'phone_name or phone_number already exist' }), 'edit'), 'edit')).toMatchObject({ step: 'fix_input', reason: 'conflict' });
    expect(nextStep(classify(ok({ status: 'error', message: 'phoneNumber must be numeric' }), 'edit'), 'edit')).toMatchObject({ step: 'fix_input', reason: 'invalid', field: 'phoneNumber' });
    expect(nextStep(classify(ok({ status: 'error', message: 'something new' }), 'edit'), 'edit')).toMatchObject({ step: 'fix_input', reason: 'refused' });
    expect(nextStep(classify(ok({ status: 'error', message: 'phoneName does not match phoneNumber' }), 'edit'), 'edit')).toMatchObject({ step: 'not_found', nameMismatch: true });
    expect(step({ status: 404, body: '<html>404 Not Found</html>' })).toBe('look_up_first');
    expect(step({ status: 502, body: '<html>502</html>' })).toBe('look_up_first');
    expect(nextStep(classify({ status: 429, headers: { 'retry-after': '12' }, body: body({ status: 'error', message: 'Max limit exceeded' }) }, 'edit'), 'edit')).toMatchObject({
      step: 'wait_and_retry',
      delayMs: 12_000,
    });
  });

  it('says "resend, it is safe" for a mutation only with proof', () => {
    expect(nextStep(failureOutcome({ code: 'connect_failed', delivery: 'not_sent' }, 'edit'), 'edit').step).toBe('resend_safe');
    expect(nextStep(failureOutcome({ code: 'reset', delivery: 'maybe_sent' }, 'edit'), 'edit').step).toBe('look_up_first');
    const op = { action: 'delete', phoneNumber: '111', phoneName: 'A' } as const;
    const original = classify({ status: 502, body: '<html>' }, 'delete');
    const foundStill = classify(ok({ phoneNumber: '111', phoneName: 'A' }), 'get');
    const settled = settleByReadBack(op, original, judgeReadBack(op, [foundStill]));
    expect(settled).toMatchObject({ kind: 'server_error', applied: 'no' });
    expect(nextStep(settled, 'delete').step).toBe('resend_safe');
    // After a timeout, "not there yet" is no proof: the request may still land.
    const timedOut = failureOutcome({ code: 'timeout', delivery: 'maybe_sent' }, 'delete');
    expect(nextStep(settleByReadBack(op, timedOut, judgeReadBack(op, [foundStill])), 'delete').step).toBe('look_up_first');
  });

  it('a failed read is worth another look later', () => {
    expect(nextStep(classify({ status: 503, headers: { 'retry-after': '3' }, body: '' }, 'get'), 'get')).toMatchObject({ step: 'wait_and_retry', delayMs: 3000 });
    expect(nextStep(classify(ok({ status: 'error', message: 'phoneNumber does not exist' }), 'get'), 'get')).toMatchObject({ step: 'not_found', field: 'phoneNumber' });
  });
});

describe('settleByReadBack: a conflict on an edit', () => {
  const conflict = classify(ok({ status: 'error', message: 'phone_name or phone_number already exist' }), 'edit');
  const found = (phoneNumber: string, phoneName: string) => classify(ok({ phoneNumber, phoneName }), 'get');
  const absent = classify(ok({ status: 'error', message: 'phoneNumber does not exist' }), 'get');
  const rename = { action: 'edit', phoneNumber: '111', phoneName: 'Wrong', phoneNumberNew: '111', phoneNameNew: 'New' } as const;

  it('a wrong current name is not_found with nameMismatch, naming the real one', () => {
    const settled = settleByReadBack(rename, conflict, judgeReadBack(rename, [found('111', 'Real')]));
    expect(settled).toMatchObject({ kind: 'not_found', nameMismatch: true, field: 'phoneName', actualName: 'Real', applied: 'no' });
    expect(settled.message).toContain('does not match');
  });
  it('a current number that is not there is not_found', () => {
    const move = { action: 'edit', phoneNumber: '111', phoneName: 'A', phoneNumberNew: '222' } as const;
    expect(settleByReadBack(move, conflict, judgeReadBack(move, [found('222', 'Other'), absent]))).toMatchObject({ kind: 'not_found', field: 'phoneNumber', nameMismatch: false });
  });
  it('a taken new name with the right current one stays a conflict', () => {
    const ok1 = { ...rename, phoneName: 'Real' };
    expect(settleByReadBack(ok1, conflict, judgeReadBack(ok1, [found('111', 'Real')])).kind).toBe('conflict');
  });
  it('the state asked for is "already done"', () => {
    expect(settleByReadBack(rename, conflict, judgeReadBack(rename, [found('111', 'New')])).kind).toBe('success');
  });
});
