// The fault matrix with the shim the Worker runs (createWorkerShim: the socket transport) inside
// workerd, in front of the proxy and the simulator on loopback.
import { inject } from 'vitest';
import { MemoryUsageStore } from '../../../../apps/shim/src/usage/usage-store.js';
import { createWorkerShim } from '../../../../apps/shim/src/worker.js';
import { KEY, numberOf, USER, type Claim } from '../../src/fault-cases.js';
import { defineWorkerdFaultMatrix } from './matrix-suite.js';

// Counts in memory: the usage aggregator is not what this matrix is about.
const shim = createWorkerShim({ CLOUDAGENT_BASE_URL: inject('matrix').proxyUrl, SHIM_TIMEOUT_MS: '15000' }, { log: () => undefined, usageStore: new MemoryUsageStore() });
const ctx = { waitUntil: () => undefined };

defineWorkerdFaultMatrix('shim', async (n) => {
  const phoneNumber = numberOf(n);
  const query = new URLSearchParams({ action: 'edit', userName: USER, apiKey: KEY, phoneNumber, phoneName: `Old_${n}`, phoneNumberNew: phoneNumber, PhoneNameNew: `New_${n}` });
  const response = await shim.fetch(new Request(`http://shim.test/CAServices/PhoneManageV2.php?${query}`), {}, ctx);
  const text = await response.text();
  const header = response.headers.get('x-shim-outcome');
  const body = JSON.parse(text) as { status: string };
  const claim: Claim = header === 'unknown' ? 'unknown' : header === 'not-applied' ? 'no' : body.status === 'success' ? 'yes' : 'no';
  if (text.includes(KEY)) throw new Error('the key leaked into the answer');
  return { claim, raw: `${response.status} ${header ?? ''} ${text}` };
});
