import type { CallRecord, FaultPlan, PhoneRecord } from '@cloudagent-phone/simulator';
import { createSimulator, type Simulator } from '@cloudagent-phone/simulator';
import { BASIC_KEY, TOKEN_KEY } from './fixtures.js';

export const SEED = [
  { phoneNumber: '+919876543210', phoneName: 'Front-desk', skills: ['General'] },
  { phoneNumber: '8001234567', phoneName: 'Support-line', skills: [] },
];

/**
 * CloudAgent for the tests: one simulator per account (the simulator serves one account), picked
 * by the credential each request carries, so no body has to be read to route it. Every request's
 * cancellation is recorded, so a test can see that a timed-out call was really cancelled.
 */
export interface Upstream {
  basic: Simulator;
  token: Simulator;
  /** One entry per request received; `cancelled` turns true when its caller aborts it. */
  requests: { cancelled: boolean }[];
  handle(request: Request, env?: unknown, signal?: AbortSignal): Promise<Response>;
  reset(): void;
}

export function createUpstream(): Upstream {
  // The basic account may hold 3 numbers, so one create past the seed reaches the limit.
  const basic = createSimulator({ userName: 'demo', apiKey: BASIC_KEY, records: SEED, phoneNumberLimit: SEED.length + 1 });
  const token = createSimulator({ userName: 'tokenco', apiKey: TOKEN_KEY, auth: 'token', records: SEED });
  const requests: { cancelled: boolean }[] = [];
  return {
    basic,
    token,
    requests,
    reset() {
      basic.control.reset();
      token.control.reset();
      requests.length = 0;
    },
    handle(request, env, signal = request.signal) {
      // Plain data, not the signal itself: in workerd a signal belongs to the request that made it.
      const seen = { cancelled: signal.aborted };
      requests.push(seen);
      signal.addEventListener('abort', () => (seen.cancelled = true), { once: true });
      const useToken = request.headers.has('authorization') || request.headers.get('apikey') === TOKEN_KEY;
      const answer = (useToken ? token : basic).fetch(request, env as never);
      // As a network fetch does: a cancelled request rejects at once, whatever the server is doing.
      return new Promise<Response>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        answer.then(resolve, reject);
      });
    },
  };
}

export type Account = 'basic' | 'token';

/**
 * What the suite needs to see of CloudAgent, asynchronously: the suite runs on Node, where the
 * simulators are in the same process (localUpstreamView), and inside workerd, where they run in the
 * Node global setup behind a loopback port and are driven over a control API (remoteUpstreamView).
 */
export interface UpstreamView {
  reset(): Promise<void>;
  /** One account's simulator back to its seed (tokens forgotten too). */
  resetAccount(account: Account): Promise<void>;
  calls(account: Account): Promise<CallRecord[]>;
  records(account: Account): Promise<PhoneRecord[]>;
  setFaults(account: Account, plan: FaultPlan): Promise<void>;
  /** One entry per request received, in order; `cancelled` turns true when its caller aborted it. */
  requests(): Promise<{ cancelled: boolean }[]>;
}

export function localUpstreamView(upstream: Upstream): UpstreamView {
  return {
    reset: async () => upstream.reset(),
    resetAccount: async (account) => upstream[account].control.reset(),
    calls: async (account) => upstream[account].control.calls(),
    records: async (account) => upstream[account].control.records(),
    setFaults: async (account, plan) => upstream[account].control.setFaults(plan),
    requests: async () => upstream.requests.map((r) => ({ ...r })),
  };
}

/** The control API's address and the upstream's own, as the workerd run receives them (`provide`). */
export interface UpstreamAddress {
  url: string;
  controlUrl: string;
}

/** An UpstreamView over the control API that test/node/upstream-server.ts serves. fetch only. */
export function remoteUpstreamView(controlUrl: string): UpstreamView {
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${controlUrl}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`upstream control ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    reset: () => call('/reset', {}),
    resetAccount: (account) => call(`/${account}/reset`, {}),
    calls: (account) => call(`/${account}/calls`),
    records: (account) => call(`/${account}/records`),
    setFaults: (account, plan) => call(`/${account}/faults`, plan),
    requests: () => call('/requests'),
  };
}
