import type { CallRecord, FaultPlan, PhoneRecord } from '@cloudagent-phone/simulator';
import type { ProxyFault } from '../../src/fault-cases.js';

/** The simulator and the proxy, as seen from inside workerd: their HTTP control routes. fetch only. */
export function matrixControl(urls: { simulatorUrl: string; proxyUrl: string }) {
  const call = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(url, init);
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const sim = (path: string, init?: RequestInit) => call<unknown>(`${urls.simulatorUrl}/__simulator${path}`, init);
  return {
    setFaults: (plan: FaultPlan) => sim('/faults', { method: 'PUT', body: JSON.stringify(plan) }),
    calls: () => sim('/calls') as Promise<CallRecord[]>,
    records: async () => ((await sim('/state')) as { records: PhoneRecord[] }).records,
    nextProxyFault: (fault: ProxyFault | undefined) => call(`${urls.proxyUrl}/__proxy/next`, { method: 'PUT', body: JSON.stringify({ fault: fault ?? null }) }),
    proxyInjected: () => call<{ injected: number }>(`${urls.proxyUrl}/__proxy/injected`).then((r) => r.injected),
  };
}
