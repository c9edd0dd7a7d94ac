import { startSimulator } from '@cloudagent-phone/simulator/node';
import type { TestProject } from 'vitest/node';
import { BASIC_KEY } from '../suite/fixtures.js';
import { JOB_SEED_ROWS, jobSeed } from './fixtures.js';
import './provided-context.js';

// Runs in Node, outside workerd: CloudAgent (the simulator, with its control routes) on a loopback
// port, seeded with the numbers the jobs edit. The Worker reaches it over the socket transport as
// it would reach CloudAgent; the tests read its applied log and calls through /__simulator.
export default async function setup(project: TestProject) {
  const sim = await startSimulator({ port: 0, userName: 'demo', apiKey: BASIC_KEY, records: jobSeed(JOB_SEED_ROWS), skills: ['General'], phoneNumberLimit: JOB_SEED_ROWS * 2, controlRoutes: true, appliedLogLimit: JOB_SEED_ROWS * 2 });
  project.provide('simulator', { url: sim.url });
  return () => sim.close();
}
