import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { startContractControl, startTestServer } from '../test-server.js';

// Runs in Node, outside workerd: starts the contract's loopback server and its control API, and
// hands their addresses to the tests inside workerd.
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const control = await startContractControl(server);
  project.provide('contractServer', { url: server.url, controlUrl: control.url });
  return async () => {
    await control.close();
    await server.close();
  };
}
