import { startSimulator } from '@cloudagent-phone/simulator/node';
import type { TestProject } from 'vitest/node';
import { KEY, SEED, USER } from '../matrix.js';
import { TOKEN_KEY, TOKEN_SOCKET_USER } from '../token-accounts.js';
import './provided-context.js';

// Runs in Node, outside workerd: v2 and the legacy v1 host as simulators on loopback ports, with
// their HTTP control routes, for the Worker's socket transport to reach as it would reach CloudAgent.
export default async function setup(project: TestProject) {
  const v2 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED, controlRoutes: true });
  const v1 = await startSimulator({ userName: USER, apiKey: KEY, records: SEED, controlRoutes: true });
  // A TOKEN_AUTH account, for the Worker's own shim with its token holder (token-accounts.test.ts).
  const token = await startSimulator({ userName: TOKEN_SOCKET_USER, apiKey: TOKEN_KEY, auth: 'token', controlRoutes: true });
  project.provide('simulators', { v2: v2.url, v1: v1.url, token: token.url });
  return async () => {
    await v2.close();
    await v1.close();
    await token.close();
  };
}
