import type { TestProject } from 'vitest/node';
import { startUpstreamControl, startUpstreamServer } from '../node/upstream-server.js';
import { createUpstream } from '../suite/upstream.js';
import './provided-context.js';

// Runs in Node, outside workerd: CloudAgent (the simulators) on a loopback port, which the Worker
// reaches over the socket transport exactly as it would reach CloudAgent, and a control API for the
// suite. vitest.config.ts hands the upstream's address to the Worker's bindings.
export default async function setup(project: TestProject) {
  const upstream = createUpstream();
  const server = await startUpstreamServer(upstream);
  const control = await startUpstreamControl(upstream);
  project.provide('upstream', { url: server.url, controlUrl: control.url });
  return async () => {
    await control.close();
    await server.close();
  };
}
