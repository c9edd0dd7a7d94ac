import type { TestProject } from 'vitest/node';
import './provided-context.js';
import { startContractServer } from '../../src/testing/node.js';

// Runs in Node, outside workerd (which cannot listen): starts the contract server on loopback and
// hands its URL to the tests inside workerd, which drive it over its control routes.
export default async function setup(project: TestProject) {
  const server = await startContractServer();
  project.provide('contractServerUrl', server.url);
  return () => server.close();
}
