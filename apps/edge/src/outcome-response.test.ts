import { OUTCOME_KINDS, type Outcome, type OutcomeKind } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { answerFor, DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS, timeoutAnswer } from './outcome-response.js';

const outcome = (kind: OutcomeKind, extra: Partial<Outcome> = {}): Outcome => ({ kind, message: `${kind} happened`, retryable: false, ambiguous: false, ...extra });

describe('answerFor: the status matrix', () => {
  it('maps every outcome kind to its status', () => {
    const status = (kind: OutcomeKind) => {
      const a = answerFor(outcome(kind));
      return a.ok ? 200 : a.problem.status;
    };
    const table = Object.fromEntries(OUTCOME_KINDS.map((k) => [k, status(k)]));
    expect(table).toEqual({
      success: 200,
      partial_success: 200,
      auth_error: 502,
      invalid_action: 422,
      validation_error: 422,
      conflict: 409,
      limit_exceeded: 422,
      rate_limited: 429,
      server_error: 502,
      unknown: 502,
    });
  });

  it('every success body carries its outcome; a partial success carries the warning', () => {
    const partial = answerFor(outcome('partial_success', { message: 'record inserted successfully and failed to insert skills' }));
    expect(partial).toMatchObject({ ok: true, body: { outcome: 'partial_success', warning: 'record inserted successfully and failed to insert skills' } });
    const found = answerFor(outcome('success', { data: { phoneNumber: '123', phoneName: 'Ab' } }));
    expect(found).toMatchObject({ ok: true, body: { outcome: 'success', phoneNumber: '123', phoneName: 'Ab' } });
  });

  it("passes CloudAgent's Retry-After on, rounded up to whole seconds, or a default", () => {
    const given = answerFor(outcome('rate_limited', { retryAfterMs: 2_100 }));
    expect(!given.ok && given.headers['retry-after']).toBe('3');
    const none = answerFor(outcome('rate_limited'));
    expect(!none.ok && none.headers['retry-after']).toBe(String(DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS));
  });

  it('says when a mutation may or may not have been applied', () => {
    const a = answerFor(outcome('server_error', { ambiguous: true }));
    expect(!a.ok && a.problem.detail).toMatch(/may or may not have been applied/);
  });

  it('a timed-out mutation is unknown, a timed-out lookup is not', () => {
    const mutation = timeoutAnswer(true, 1000);
    expect(!mutation.ok && [mutation.problem.status, mutation.problem.outcome]).toEqual([504, 'unknown']);
    const lookup = timeoutAnswer(false, 1000);
    expect(!lookup.ok && [lookup.problem.status, lookup.problem.outcome]).toEqual([504, 'server_error']);
  });
});
