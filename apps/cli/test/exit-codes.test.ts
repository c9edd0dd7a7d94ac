import { OUTCOME_KINDS, classify, failureOutcome, type Outcome } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_MEANING, callExitCodes, exitCodeFor, worstExitCode } from '../src/exit-codes.js';

const answer = (status: string, message: string, http = 200) => ({ status: http, body: JSON.stringify({ status, message }) });

describe('exitCodeFor renders core\'s next step', () => {
  it.each([
    ['record inserted successfully', 'success', 0],
    ['record inserted successfully and failed to insert skills please pass the valid skills', 'success', 6],
    ['userName or apiKey not valid', 'error', 3],
    ['phone_name or phone_number already exist', 'error', 4],
    ['phoneNumber must be numeric', 'error', 5],
    ['action not valid', 'error', 5],
    ['Max limit exceeded', 'error', 7],
    ['a refusal in words no page documents', 'error', 5],
    ['phoneNumber does not exist', 'error', 10],
    ['phoneName does not match phoneNumber', 'error', 10],
    ['record maybe inserted', 'success', 8],
  ] as const)('%s → %i', (message, status, code) => {
    expect(exitCodeFor(classify(answer(status, message), 'edit'), 'edit')).toBe(code);
  });

  it('any non-CloudAgent answer to a mutation is 8, a failed read is 7', () => {
    for (const r of [{ status: 404, body: '<html>404</html>' }, { status: 502, body: '<html>502</html>' }, { status: 200, body: '{"status":"succ' }, { status: 302, body: '' }]) {
      expect(exitCodeFor(classify(r, 'edit'), 'edit')).toBe(8);
      expect(exitCodeFor(classify(r, 'get'), 'get')).toBe(7);
    }
  });

  it('7 (safe to run again) for a mutation only with proof it was not applied', () => {
    expect(exitCodeFor(failureOutcome({ code: 'connect_failed', delivery: 'not_sent' }, 'edit'), 'edit')).toBe(7);
    expect(exitCodeFor(failureOutcome({ code: 'aborted', delivery: 'not_sent' }, 'edit'), 'edit')).toBe(7);
    expect(exitCodeFor(failureOutcome({ code: 'timeout', delivery: 'maybe_sent' }, 'edit'), 'edit')).toBe(8);
  });

  it('covers every outcome kind core defines', () => {
    for (const kind of OUTCOME_KINDS) {
      const outcome = { kind, message: 'x', retryable: false, vendorMessage: 'x', nameMismatch: false } as unknown as Outcome;
      expect(Object.values(EXIT)).toContain(exitCodeFor(outcome, 'edit'));
      expect(Object.values(EXIT)).toContain(exitCodeFor(outcome, 'get'));
    }
  });
});

describe('worstExitCode', () => {
  it('is 0 for no rows and for all-success', () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 0])).toBe(0);
  });
  it('ranks unknown outcome above auth, transient, rejection, conflict, invalid and partial', () => {
    expect(worstExitCode([6, 2, 4, 5, 7, 3, 8])).toBe(8);
    expect(worstExitCode([6, 2, 4, 5, 7, 3])).toBe(3);
    expect(worstExitCode([6, 2, 4, 5, 7])).toBe(7);
    expect(worstExitCode([6, 2, 4, 5])).toBe(5);
    expect(worstExitCode([6, 2, 4])).toBe(4);
    expect(worstExitCode([6, 2])).toBe(2);
    expect(worstExitCode([0, 6])).toBe(6);
    expect(worstExitCode([8, 1])).toBe(1);
  });
});

describe('the exit codes each command lists', () => {
  it('a mutation can end in every code but 9; a lookup never in partial success or unknown outcome', () => {
    expect(callExitCodes(['edit'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    expect(callExitCodes(['create'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    const get = callExitCodes(['get']);
    expect(get).toEqual(expect.arrayContaining([0, 1, 2, 3, 5, 7, 10]));
    expect(get).not.toContain(EXIT.outcomeUnknown);
    expect(get).not.toContain(EXIT.partialSuccess);
    expect(get).not.toContain(EXIT.v1Findings);
  });

  it('every code has a meaning', () => {
    for (const code of Object.values(EXIT)) expect(EXIT_MEANING[code]).toBeTruthy();
  });
});
