import type { Hono } from 'hono';
import { createApp } from './app.js';
import { DROP_HEADER } from './fault-responses.js';
import type { SimulatorEnv, SimulatorBindings } from './bindings.js';
import { CallLog } from './calls.js';
import { createControl, createControlRoutes, type SimulatorControl } from './control.js';
import { FaultInjector } from './faults.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import { PhoneBook } from './phone.js';
import { SimulatorState } from './store.js';
import { TokenDesk } from './tokens.js';

export interface Simulator {
  /** The Hono app: mount it, or call `app.request(...)` in tests. */
  app: Hono<SimulatorEnv>;
  /**
   * `app.fetch`, except that a dropped-connection fault rejects with a TypeError, as a real fetch
   * does on a reset. Use this rather than `app.fetch` where faults are on.
   */
  fetch: (request: Request, env?: SimulatorBindings) => Promise<Response>;
  state: SimulatorState;
  control: SimulatorControl;
}

/** A local CloudAgent (PhoneManageV2 v1 and v2, CAToken) as a runtime-neutral Hono app. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const resolved = resolveOptions(options);
  const state = new SimulatorState(resolved.records, resolved.appliedLogLimit);
  const faults = new FaultInjector();
  const calls = new CallLog(resolved.callLogLimit);
  const control = createControl(resolved, state, faults, calls);
  const app = createApp({ options: resolved, phones: new PhoneBook(state, resolved), tokens: new TokenDesk(state, resolved), faults, calls });
  if (resolved.controlRoutes) app.route('/__simulator', createControlRoutes(control, state));
  const fetch = async (request: Request, env?: SimulatorBindings) => {
    const response = await app.fetch(request, env);
    if (response.headers.has(DROP_HEADER)) {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('simulated connection reset'), { code: 'ECONNRESET' }) });
    }
    return response;
  };
  return { app, fetch, state, control };
}

export { DEFAULT_APPLIED_LOG_LIMIT, DEFAULT_SKILLS, type AuthMode, type PhoneRecord, type SeedRecord, type SimulatorOptions } from './options.js';
export { FAULT_KINDS, type Fault, type FaultKind, type FaultPlan, type FaultRoute, type FaultStats } from './faults.js';
export type { CallRecord } from './calls.js';
export type { SimulatorControl } from './control.js';
export { SimulatorState, type AppliedCount, type AppliedMutation, type AppliedSummary, type MutationAction, type StateSnapshot, type TokenState } from './store.js';
export { SIMULATOR_MESSAGES } from './phone.js';
export type { SimulatorBindings, SimulatorEnv } from './bindings.js';
