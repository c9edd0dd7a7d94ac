import type { PhoneOperation } from '@cloudagent-phone/core';
import type { EdgeResult, Success } from '@cloudagent-phone/edge-client';
import { describe, expect, it } from 'vitest';
import { edgeCallFor, outcomeFromEdge } from '../src/edge-phone-client.js';
import { EXIT, exitCodeFor } from '../src/exit-codes.js';

// The edge's answers, turned back into core's outcome: the exit code a direct run would give.
const create: PhoneOperation = { action: 'create', phoneNumber: '+917001112223', phoneName: 'Desk' };
const get: PhoneOperation = { action: 'get', phoneNumber: '+917001112223' };
const meta = { requestId: 'r', attempts: 3, replayed: false, idempotencyKey: 'k', retryAfterMs: undefined };

function problem(status: number, slug: string, extra: Record<string, unknown> = {}): EdgeResult<Success> {
  return { ok: false, status, ...meta, problem: { type: `urn:cloudagent-phone:problem:${slug}` as never, title: slug, status, detail: `${slug} detail`, ...extra } };
}

const exitFor = (answer: EdgeResult<Success>, op: PhoneOperation) => exitCodeFor(outcomeFromEdge(answer, op), op.action);

describe('outcomeFromEdge', () => {
  it('a mutation the edge could not settle (outcome unknown, a 5xx from elsewhere, a 409 in flight) is exit 8', () => {
    expect(exitFor(problem(504, 'upstream-timeout', { outcome: 'unknown' }), create)).toBe(EXIT.outcomeUnknown);
    expect(exitFor(problem(502, 'bad-gateway', { outcome: 'unknown' }), create)).toBe(EXIT.outcomeUnknown);
    expect(exitFor({ ok: false, status: 502, ...meta, problem: { type: 'about:blank', title: 'HTTP 502', status: 502, detail: 'proxy' } }, create)).toBe(EXIT.outcomeUnknown);
    expect(exitFor(problem(409, 'idempotency-key-in-use'), create)).toBe(EXIT.outcomeUnknown);
  });

  it('what provably was not applied is exit 7 (retry), refusals keep their own codes', () => {
    expect(exitFor(problem(503, 'misconfigured'), create)).toBe(EXIT.transient);
    // The edge says server_error for a mutation only with proof that nothing was applied.
    expect(exitFor(problem(502, 'bad-gateway', { outcome: 'server_error' }), create)).toBe(EXIT.transient);
    const missing = outcomeFromEdge(problem(404, 'phone-number-not-found', { outcome: 'not_found', nameMismatch: true }), create);
    expect(missing).toMatchObject({ kind: 'not_found', nameMismatch: true, applied: 'no' });
    expect(exitFor(problem(404, 'phone-number-not-found', { outcome: 'not_found', nameMismatch: false }), get)).toBe(EXIT.notFound);
    const limited = outcomeFromEdge({ ...problem(429, 'rate-limited'), retryAfterMs: 20_000 }, create);
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 20_000, retryable: true, applied: 'no' });
    expect(exitFor(problem(401, 'unauthorized'), create)).toBe(EXIT.authRejected);
    expect(exitFor(problem(403, 'forbidden'), create)).toBe(EXIT.authRejected);
    expect(exitFor(problem(502, 'bad-gateway', { outcome: 'auth_error' }), create)).toBe(EXIT.authRejected);
    expect(exitFor(problem(409, 'conflict', { outcome: 'conflict' }), create)).toBe(EXIT.conflict);
    expect(exitFor(problem(422, 'rejected-by-cloudagent', { outcome: 'limit_exceeded' }), create)).toBe(EXIT.rejected);
    expect(exitFor(problem(422, 'idempotency-key-reused'), create)).toBe(EXIT.rejected);
    expect(exitFor(problem(501, 'not-implemented'), get)).toBe(EXIT.rejected);
  });

  it("keeps CloudAgent's message without the hint the edge appended (the CLI prints its own), and only that hint", () => {
    const byName: PhoneOperation = { action: 'get', phoneName: 'Nobody' };
    const hinted = outcomeFromEdge(problem(404, 'phone-number-not-found', { outcome: 'not_found', field: 'phoneName', detail: 'phoneName does not exist; no such name: check it; nothing was changed' }), byName);
    expect(hinted).toMatchObject({ kind: 'not_found', field: 'phoneName', message: 'phoneName does not exist' });
    const other = outcomeFromEdge(problem(404, 'phone-number-not-found', { outcome: 'not_found', field: 'phoneName', detail: 'phoneName does not exist; ask the operator' }), byName);
    expect(other.message).toBe('phoneName does not exist; ask the operator');
  });

  it('a read that failed on the server is exit 7; success and partial success read as direct', () => {
    expect(exitFor(problem(502, 'bad-gateway', { outcome: 'server_error' }), get)).toBe(EXIT.transient);
    const partial = outcomeFromEdge({ ok: true, status: 200, ...meta, data: { outcome: 'partial_success', nextStep: 'done', applied: 'yes', message: 'changed', warning: 'failed to insert skills', field: 'skill' } }, create);
    expect(partial).toMatchObject({ kind: 'partial_success', message: 'failed to insert skills', field: 'skill', applied: 'yes' });
    const found = outcomeFromEdge({ ok: true, status: 200, ...meta, data: { outcome: 'success', nextStep: 'done', message: 'ok', phoneNumber: '+917001112223', phoneName: 'Desk' } }, get);
    expect(found).toMatchObject({ kind: 'success', data: { phoneNumber: '+917001112223', phoneName: 'Desk' } });
  });
});

describe('edgeCallFor', () => {
  it('takes the action from the method and the existing number into the path', () => {
    expect(edgeCallFor({ action: 'edit', phoneNumber: '+91 1', phoneName: 'A', phoneNameNew: 'B' }, 'acme')).toEqual({ method: 'PATCH', path: '/phone-numbers/%2B91%201', body: { userName: 'acme', phoneName: 'A', phoneNameNew: 'B' } });
    expect(edgeCallFor(create, 'acme')).toEqual({ method: 'POST', path: '/phone-numbers', body: { userName: 'acme', phoneNumber: '+917001112223', phoneName: 'Desk' } });
    expect(edgeCallFor(get, 'acme')).toEqual({ method: 'GET', path: '/phone-numbers/%2B917001112223?userName=acme' });
  });

  it('looks a name up on the collection, and goes by number when both are given (as CloudAgent does)', () => {
    expect(edgeCallFor({ action: 'get', phoneName: '+Front desk&Co' }, 'acme')).toEqual({ method: 'GET', path: '/phone-numbers?userName=acme&phoneName=%2BFront+desk%26Co' });
    expect(edgeCallFor({ action: 'get', phoneNumber: '8001234567', phoneName: 'Desk' }, 'acme')).toEqual({ method: 'GET', path: '/phone-numbers/8001234567?userName=acme' });
  });
});
