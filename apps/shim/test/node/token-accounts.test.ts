// Token accounts on Node: the shim over node:http to a simulator with auth 'token' on loopback, the
// tokens in the shim's in-memory holder (@cloudagent-phone/server).
import { afterEach } from 'vitest';
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
