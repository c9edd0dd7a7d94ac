// Token accounts on Node: the shim over node:http to a simulator with auth 'token' on loopback, the
// tokens in the shim's in-memory holder (@cloudagent-phone/server).
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '@cloudagent-phone/simulator/node';
import { configFromEnv } from '../../src/config.js';
import { startShim } from '../../src/node.js';
import { PATH, TOKEN_KEY, defineTokenAccountCases } from '../token-accounts.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  const closing = open;
  open = [];
  await Promise.allSettled(closing.map((s) => s.close()));
});

let accounts = 0;

defineTokenAccountCases(async (options = {}) => {
  const user = `tokenco${++accounts}`;
  const simulator = await startSimulator({ userName: user, apiKey: TOKEN_KEY, auth: 'token', ...(options.clock ? { now: options.clock } : {}) });
  const logs: string[] = [];
  const shim = await startShim({ config: configFromEnv({ CLOUDAGENT_BASE_URL: simulator.url, SHIM_TOKEN_ACCOUNTS: `other,${user}` }), log: (line) => logs.push(line) });
  open.push(shim, simulator);
  return {
    user,
    simulator,
    logs,
    async send(query) {
      const res = await fetch(`${shim.url}${PATH}?${query}`);
      return { status: res.status, body: await res.text(), headers: res.headers };
    },
  };
});

describe('a token account in verify mode', () => {
  it('records the translation with the bearer token redacted, and neither the key nor the token anywhere', async () => {
    const user = 'tokenverify';
    const admin = 'admin-token-for-tests-0123456789';
    const simulator = await startSimulator({ userName: user, apiKey: TOKEN_KEY, auth: 'token' });
    const logs: string[] = [];
    const shim = await startShim({
      config: configFromEnv({ CLOUDAGENT_BASE_URL: simulator.url, SHIM_TOKEN_ACCOUNTS: user, SHIM_MODE: 'verify', SHIM_ADMIN_TOKEN: admin }),
      log: (line) => logs.push(line),
    });
    open.push(shim, simulator);
    const res = await fetch(`${shim.url}${PATH}?action=create&apiKey=${TOKEN_KEY}&userName=${user}&phoneNumber=%2B917000006001&phoneName=Verify1`);
    expect(await res.text()).toBe('{"status":"success","message":"record inserted successfully"}');
    const translations = await (await fetch(`${shim.url}/_shim/translations`, { headers: { authorization: `Bearer ${admin}` } })).text();
    const token = simulator.state.tokens.current?.token as string;
    expect(token).toMatch(/^eyJ/);
    expect(JSON.parse(translations).translations[0].v2Request.headers).toMatchObject({ Authorization: '[REDACTED]' });
    for (const text of [translations, ...logs]) {
      expect(text).not.toContain(TOKEN_KEY);
      expect(text).not.toContain(token);
    }
  });
});
