import { startSimulator } from '@cloudagent-phone/simulator/node';
import type { TestProject } from 'vitest/node';
import { FAULTS, KEY, USER, numberOf } from '../../src/fault-cases.js';
import { startFaultProxy } from '../../src/fault-proxy.js';
import './provided-context.js';

// Runs in Node, outside workerd: CloudAgent (the simulator, with its HTTP control routes) behind the
// fault-injecting proxy, both on loopback ports. The Worker under test reaches the proxy over the
// socket transport, as it would reach CloudAgent through a gateway; the test drives both over HTTP.
export default async function setup(project: TestProject) {
  const seed = FAULTS.map((_, n) => ({ phoneNumber: numberOf(n), phoneName: `Old_${n}` }));
  const sim = await startSimulator({ userName: USER, apiKey: KEY, records: seed, phoneNumberLimit: 10_000, controlRoutes: true });
  const proxy = await startFaultProxy(sim.url);
  project.provide('matrix', { simulatorUrl: sim.url, proxyUrl: proxy.url });
  return async () => {
    await proxy.close();
    await sim.close();
  };
}
