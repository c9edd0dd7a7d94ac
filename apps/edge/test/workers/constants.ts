/** Where the Worker under test believes CloudAgent is; the test's fetch answers it with the simulator. */
export const UPSTREAM_ORIGIN = 'https://cloudagent.test';
