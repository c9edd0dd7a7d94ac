import { OUTCOME_KINDS, createOutcome, type Outcome, type OutcomeKind } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { answerFor, DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS, timedOutOutcome, timeoutAnswer } from './outcome-response.js';

const outcome = (kind: OutcomeKind, extra: Record<string, unknown> = {}): Outcome =>
  createOutcome('edit', { kind, message: `${kind} happened`, retryable: false, vendorMessage: 'x', nameMismatch: false, ...extra } as never);

describe('answerFor: the status matrix', () => {
  it('maps every outcome kind to its status', () => {
    const status = (kind: OutcomeKind) => {
      const a = answerFor(outcome(kind), 'edit');
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
      not_found: 404,
      limit_exceeded: 422,
      rate_limited: 429,
      rejected: 422,
      server_error: 502,
      unknown: 502,
    });
  });

  it('every answer carries outcome, nextStep and, for a mutation, applied', () => {
    for (const kind of OUTCOME_KINDS) {
      const a = answerFor(outcome(kind), 'edit');
      const truth = a.ok ? a.body : a.problem;
      expect(truth).toMatchObject({ outcome: kind, applied: kind === 'unknown' ? 'unknown' : kind.includes('success') ? 'yes' : 'no' });
      expect(typeof truth.nextStep).toBe('string');
    }
    const lookup = answerFor(createOutcome('get', { kind: 'server_error', message: 'x', retryable: true }), 'get');
    expect(!lookup.ok && lookup.problem).not.toHaveProperty('applied');
  });

  it('a missing number is its own 404 problem type, apart from the unknown route', () => {
    const a = answerFor(outcome('not_found', { field: 'phoneNumber' }), 'delete');
    expect(!a.ok && [a.problem.status, a.problem.type]).toEqual([404, 'urn:cloudagent-phone:problem:phone-number-not-found']);
  });

  it('every success body carries its outcome; a partial success carries the warning', () => {
    const partial = answerFor(outcome('partial_success', { message: 'record inserted successfully and failed to insert skills', field: 'skill' }), 'edit');
    expect(partial).toMatchObject({ ok: true, body: { outcome: 'partial_success', warning: 'record inserted successfully and failed to insert skills' } });
    const found = answerFor(createOutcome('get', { kind: 'success', message: 'found', retryable: false, data: { phoneNumber: '123', phoneName: 'Ab' } }), 'get');
    expect(found).toMatchObject({ ok: true, body: { outcome: 'success', phoneNumber: '123', phoneName: 'Ab' } });
  });

  it("passes CloudAgent's Retry-After on, rounded up to whole seconds, or a default", () => {
    const given = answerFor(outcome('rate_limited', { retryAfterMs: 2_100 }), 'edit');
    expect(!given.ok && given.headers['retry-after']).toBe('3');
    const none = answerFor(outcome('rate_limited'), 'edit');
    expect(!none.ok && none.headers['retry-after']).toBe(String(DEFAULT_UPSTREAM_RETRY_AFTER_SECONDS));
  });

  it('says when a mutation may or may not have been applied', () => {
    const a = answerFor(outcome('unknown'), 'edit');
    expect(!a.ok && a.problem.detail).toMatch(/may or may not have been applied/);
  });

  it('a timed-out mutation is unknown, a timed-out lookup is not', () => {
    const mutation = timeoutAnswer(timedOutOutcome('edit'), 'edit', 1000);
    expect(!mutation.ok && [mutation.problem.status, mutation.problem.outcome, mutation.problem.nextStep, mutation.problem.applied]).toEqual([504, 'unknown', 'look_up_first', 'unknown']);
    expect(!mutation.ok && mutation.problem.detail).toMatch(/within 1000 ms .*may or may not have been applied/);
    const lookup = timeoutAnswer(timedOutOutcome('get'), 'get', 1000);
    expect(!lookup.ok && [lookup.problem.status, lookup.problem.outcome, lookup.problem.nextStep, lookup.problem.applied]).toEqual([504, 'server_error', 'wait_and_retry', undefined]);
  });
});
