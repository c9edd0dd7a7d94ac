import { describe, expect, it } from 'vitest';
import { BASIC_KEY, CANARIES, OTHER_KEY, TOKEN_KEY } from '../suite/fixtures.js';
import { captureConsole, workerWithEnv } from './harness.js';

// The Worker's own entry inside workerd, given an environment with several bad variables at once:
// every route answers 503 naming each variable with its rule (core's checkConfig), never a value.
const logs = captureConsole();

const misconfigured = workerWithEnv({
  CLOUDAGENT_BASE_URL: `https://user:${BASIC_KEY}@cloudagent.example.com`,
  CLOUDAGENT_ACCOUNTS: `{"demo":{"apiKey":"${BASIC_KEY}"}`,
  RATE_LIMIT_PER_MINUTE: `${TOKEN_KEY}`,
  TEAMS: `{"name":"${OTHER_KEY}"}`,
  UPSTREAM_TIMEOUT_MS: '0',
});

describe('a misconfigured edge Worker', () => {
  it('answers 503 on every route with each bad variable and its rule, and never a value', async () => {
    for (const [path, method] of [['/healthz', 'GET'], ['/phone-numbers', 'POST'], ['/audit', 'GET']] as const) {
      const response = await misconfigured(path, { method });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const text = await response.text();
      const body = JSON.parse(text) as { type: string; detail: string; errors: { field: string; rule: string; message: string }[] };
      expect(body.type).toBe('urn:cloudagent-phone:problem:misconfigured');
      expect(body.errors.map((e) => [e.field, e.rule])).toEqual([
        ['CLOUDAGENT_BASE_URL', expect.stringMatching(/^base-url-/)],
        ['CLOUDAGENT_ACCOUNTS', 'json'],
        ['RATE_LIMIT_PER_MINUTE', 'whole-number'],
        ['TEAMS', 'teams'],
        ['UPSTREAM_TIMEOUT_MS', 'whole-number'],
      ]);
      for (const error of body.errors) expect(body.detail).toContain(error.message);
      for (const canary of CANARIES) expect(text).not.toContain(canary);
      expect(text).not.toContain('demo');
    }
    expect(logs().join('\n')).toContain('configuration is invalid');
    for (const canary of CANARIES) expect(logs().join('\n')).not.toContain(canary);
  });
});
