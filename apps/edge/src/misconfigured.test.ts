import { describe, expect, it } from 'vitest';
import { BASIC_KEY } from '../test/suite/fixtures.js';
import { parseConfig } from './config.js';
import { createMisconfiguredApp } from './misconfigured.js';

describe('a misconfigured edge', () => {
  it('answers 503 everywhere with the variables to fix, and never their values nor an account name', async () => {
    const result = parseConfig({ CLOUDAGENT_ACCOUNTS: `{"demo":{"apiKey":"${BASIC_KEY}"}`, TEAMS: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines: string[] = [];
    const app = createMisconfiguredApp(result.issues, { logSink: (line) => lines.push(line) });
    for (const path of ['/healthz', '/phone-numbers']) {
      const response = await app.request(path, { method: path === '/healthz' ? 'GET' : 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const text = await response.text();
      expect(JSON.parse(text).errors.map((e: { field: string; rule: string }) => [e.field, e.rule])).toEqual([
        ['CLOUDAGENT_ACCOUNTS', 'json'],
        ['TEAMS', 'required'],
      ]);
      expect(text).not.toContain(BASIC_KEY);
      expect(text).not.toContain('demo');
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(BASIC_KEY);
  });
});
