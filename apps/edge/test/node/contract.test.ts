import { describe, expect, it } from 'vitest';
import document from '../../public/openapi.json';
import { createContractChecker } from '../suite/contract.js';

// The checker the edge suite runs over every answer: it must see a disagreement when there is one.
describe('the contract checker', () => {
  const checker = createContractChecker(document);
  const problem = (slug: string, status: number) => JSON.stringify({ type: `urn:cloudagent-phone:problem:${slug}`, title: 't', status, detail: 'd', requestId: 'r' });
  const headers = (extra: Record<string, string> = {}) => new Headers({ 'content-type': 'application/problem+json', 'x-request-id': 'r', ...extra });

  it('accepts a documented answer', () => {
    expect(checker.check({ method: 'POST', path: '/phone-numbers', status: 401, headers: headers({ 'www-authenticate': 'Bearer realm="x"' }), text: problem('unauthorized', 401) })).toEqual([]);
  });

  it("finds a status answered outside default's shape, an undocumented header, content type, body and a missing required header", () => {
    expect(checker.check({ method: 'GET', path: '/healthz', status: 418, headers: headers(), text: '{}' })[0]).toMatch(/required property "type"/);
    expect(checker.check({ method: 'POST', path: '/phone-numbers', status: 401, headers: headers({ 'www-authenticate': 'Bearer', allow: 'GET' }), text: problem('unauthorized', 401) })).toEqual([
      'POST /phone-numbers -> 401: header allow is sent but not documented',
    ]);
    expect(checker.check({ method: 'POST', path: '/phone-numbers', status: 401, headers: headers(), text: problem('unauthorized', 401) })).toEqual(['POST /phone-numbers -> 401: required header www-authenticate is missing']);
    expect(checker.check({ method: 'POST', path: '/phone-numbers', status: 400, headers: headers({ 'ratelimit-policy': '60;w=60' }), text: problem('invalid-input', 400) })).toEqual([
      'POST /phone-numbers -> 400: header ratelimit-policy is sent but not documented',
    ]);
    expect(checker.check({ method: 'GET', path: '/healthz', status: 200, headers: new Headers({ 'content-type': 'text/plain', 'x-request-id': 'r' }), text: 'ok' })[0]).toMatch(/content type "text\/plain"/);
    expect(checker.check({ method: 'GET', path: '/healthz', status: 200, headers: new Headers({ 'content-type': 'application/json', 'x-request-id': 'r' }), text: '{"status":"ok"}' }).join()).toMatch(/body/);
    expect(checker.check({ method: 'POST', path: '/phone-numbers', status: 429, headers: headers({ 'retry-after': 'soon' }), text: problem('rate-limited', 429) }).join()).toMatch(/retry-after/);
    expect(checker.check({ method: 'POST', path: '/phone-numbers', status: 400, headers: headers(), text: problem('no-such-type', 400) }).join()).toMatch(/\/type/);
  });

  it('checks an NDJSON body line by line against the schema of one line', () => {
    const line = { row: 1, userName: 'demo', action: 'edit', phoneNumber: '+91', outcome: 'success', verdict: 'applied', message: 'm', requestId: '', attempts: 1 };
    const report = (text: string) => checker.check({ method: 'GET', path: '/bulk-jobs/j/report', status: 200, headers: new Headers({ 'content-type': 'application/x-ndjson', 'x-request-id': 'r' }), text });
    expect(report(`${JSON.stringify(line)}\n${JSON.stringify(line)}\n`)).toEqual([]);
    expect(report(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, verdict: 'maybe' })}\n`).join()).toMatch(/line 2 #\/verdict Instance does not match/);
    expect(report(`${JSON.stringify(line)}\n{oops\n`).join()).toMatch(/line 2 of the application\/x-ndjson body is not JSON/);
  });

  it('expects 405 for a method a path does not take and 404 for a path it does not have', () => {
    expect(checker.check({ method: 'PUT', path: '/phone-numbers/1', status: 200, headers: headers(), text: '{}' })[0]).toMatch(/only 405/);
    expect(checker.check({ method: 'GET', path: '/nope', status: 200, headers: headers(), text: '{}' })[0]).toMatch(/only 404/);
  });
});
