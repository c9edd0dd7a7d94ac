import { OUTCOME_KINDS } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_MEANING, callExitCodes, exitCodeFor, worstExitCode } from '../src/exit-codes.js';

describe('exitCodeFor', () => {
  const plain = { ambiguous: false, retryable: false };
  it.each([
    ['success', 0],
    ['partial_success', 6],
    ['auth_error', 3],
    ['conflict', 4],
    ['validation_error', 5],
    ['invalid_action', 5],
    ['limit_exceeded', 5],
    ['unknown', 5],
    ['rate_limited', 7],
  ] as const)('%s → %i', (kind, code) => {
    expect(exitCodeFor({ kind, ...plain })).toBe(code);
  });

  it('server_error is 7 (safe to retry) only when retryable, a read, or cancelled before sending', () => {
    expect(exitCodeFor({ kind: 'server_error', ambiguous: false, retryable: true }, 'edit')).toBe(7);
    expect(exitCodeFor({ kind: 'server_error', ambiguous: false, retryable: false }, 'get')).toBe(7);
    expect(exitCodeFor({ kind: 'server_error', ambiguous: false, retryable: false, cause: 'aborted' }, 'edit')).toBe(7);
    // e.g. read back as not applied after a timeout: the server may still be processing it.
    expect(exitCodeFor({ kind: 'server_error', ambiguous: false, retryable: false, cause: 'timeout' }, 'edit')).toBe(8);
  });

  it('covers every outcome kind core defines', () => {
    for (const kind of OUTCOME_KINDS) expect(Object.values(EXIT)).toContain(exitCodeFor({ kind, ...plain }));
  });

  it('says 8 for any ambiguous outcome, whatever its kind', () => {
    for (const kind of OUTCOME_KINDS) expect(exitCodeFor({ kind, ambiguous: true, retryable: false })).toBe(8);
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
  it('a mutation can end in every code but 9; a lookup never in partial success, conflict or unknown outcome', () => {
    expect(callExitCodes(['edit'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(callExitCodes(['create'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const get = callExitCodes(['get']);
    expect(get).toEqual(expect.arrayContaining([0, 1, 2, 3, 5, 7]));
    expect(get).not.toContain(EXIT.outcomeUnknown);
    expect(get).not.toContain(EXIT.v1Findings);
  });

  it('every code has a meaning', () => {
    for (const code of Object.values(EXIT)) expect(EXIT_MEANING[code]).toBeTruthy();
  });
});
