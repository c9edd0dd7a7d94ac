import { afterAll, describe, expect, inject, it } from 'vitest';
import { FAULTS, numberOf, type Claim } from '../../src/fault-cases.js';
import { matrixControl } from './matrix-control.js';
import './provided-context.js';

/**
 * The fault matrix of test/fault-matrix.test.ts for one app running inside workerd: the same faults,
 * the same truth (the simulator's state) and the same expectations as on Node: nothing sent twice,
 * and no answer "unknown" where a read-back settles it (the socket transport can send v2's get).
 */
export function defineWorkerdFaultMatrix(app: 'edge' | 'shim', editThrough: (n: number) => Promise<{ claim: Claim; raw: string }>): void {
  const control = matrixControl(inject('matrix'));
  const results: { fault: string; claim: Claim; applied: boolean; sends: number }[] = [];

  afterAll(() => {
    console.table(results.map((r) => ({ fault: r.fault, truth: r.applied ? 'applied' : 'not applied', [`${app} (workerd)`]: `${r.claim}${r.sends > 1 ? ` (sent ${r.sends}x!)` : ''}` })));
    const count = (claim: Claim) => results.filter((r) => r.claim === claim).length;
    console.log(`fault matrix, ${app} inside workerd: ${results.length} answers; applied yes ${count('yes')}, no ${count('no')}, unknown ${count('unknown')}; sent twice ${results.filter((r) => r.sends > 1).length}`);
  });

  describe(`fault matrix inside workerd: ${app}`, () => {
    it('runs inside workerd', () => {
      expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe('Cloudflare-Workers');
    });

    it.each(FAULTS.map((fault, n) => [fault.name, fault, n] as const))('%s', async (_name, fault, n) => {
      await control.setFaults(fault.sim ? { queue: [fault.sim], actions: ['edit'] } : {});
      await control.nextProxyFault(fault.proxy);
      const injectedBefore = await control.proxyInjected();
      const { claim, raw } = await editThrough(n);
      await control.setFaults({});
      await control.nextProxyFault(undefined);
      // The fault really happened to this edit.
      expect((await control.proxyInjected()) - injectedBefore).toBe(fault.proxy ? 1 : 0);
      const calls = await control.calls();
      const phoneNumber = numberOf(n);
      if (fault.sim) expect(calls.some((call) => call.params.phoneNumber === phoneNumber && call.fault === fault.sim?.kind)).toBe(true);

      const applied = (await control.records()).find((r) => r.phoneNumber === phoneNumber)?.phoneName === `New_${n}`;
      const sends = calls.filter((call) => call.action === 'edit' && call.params.phoneNumber === phoneNumber).length;
      results.push({ fault: fault.name, claim, applied, sends });

      expect(applied, 'the fault did what it says').toBe(fault.applies);
      expect(sends, 'sent at most once').toBeLessThanOrEqual(1);
      expect(claim, `a read-back settles it, so the answer is definite: ${raw}`).not.toBe('unknown');
      expect(claim, `the answer matches the simulator's state: ${raw}`).toBe(applied ? 'yes' : 'no');
    });
  });
}
