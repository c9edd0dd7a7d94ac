import { Hono } from 'hono';
import type { SimulatorEnv } from './bindings.js';
import type { CallLog, CallRecord } from './calls.js';
import type { FaultInjector, FaultPlan, FaultStats } from './faults.js';
import type { PhoneRecord, ResolvedOptions, SeedRecord } from './options.js';
import type { AppliedCount, AppliedMutation, AppliedSummary, MutationAction, SimulatorState } from './store.js';

/** What a test drives and inspects the simulator with, in-process. */
export interface SimulatorControl {
  /** Back to the seed records (or `records`, which become the new seed); clears calls, tokens, faults and the applied log. */
  reset(records?: SeedRecord[]): void;
  /** The current phone records. */
  records(): PhoneRecord[];
  /** Requests received, oldest first, credentials removed. */
  calls(): CallRecord[];
  /**
   * The most recent applied mutations in full (at most `appliedLogLimit`, default 10,000), oldest
   * first, each with the call that applied it. For "applied once" assertions use the complete counts.
   */
  applied(): AppliedMutation[];
  /** How many mutations were applied since the last reset (complete, however many `applied()` keeps). */
  applyCount(): number;
  /** How many times `action` was applied to `phoneNumber` since the last reset (complete). */
  timesApplied(action: MutationAction, phoneNumber: string): number;
  /** Every (action, number) applied since the last reset, with its count (complete). */
  appliedCounts(): AppliedCount[];
  /** Totals, the pairs applied more than once, and what the window keeps: small however long the run. */
  appliedSummary(): AppliedSummary;
  setFaults(plan: FaultPlan): void;
  clearFaults(): void;
  faults(): { plan: FaultPlan; stats: FaultStats };
}

export function createControl(options: ResolvedOptions, state: SimulatorState, faults: FaultInjector, calls: CallLog): SimulatorControl {
  return {
    reset(records) {
      if (records) options.records = records.map((r) => ({ ...r, skills: [...(r.skills ?? [])] }));
      state.reset(options.records);
      calls.clear();
      faults.clear();
    },
    records: () => state.records(),
    calls: () => calls.list(),
    applied: () => state.applied(),
    applyCount: () => state.appliedCount,
    timesApplied: (action, phoneNumber) => state.timesApplied(action, phoneNumber),
    appliedCounts: () => state.appliedCounts(),
    appliedSummary: () => state.appliedSummary(),
    setFaults: (plan) => faults.set(plan),
    clearFaults: () => faults.clear(),
    faults: () => ({ plan: faults.plan(), stats: faults.stats() }),
  };
}

async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  return text.trim() === '' ? undefined : JSON.parse(text);
}

/** `/__simulator/*`, mounted only with `controlRoutes: true`. Never subject to faults; never shows the key or a token. */
export function createControlRoutes(control: SimulatorControl, state: SimulatorState): Hono<SimulatorEnv> {
  const routes = new Hono<SimulatorEnv>();
  routes.post('/reset', async (c) => {
    let body: unknown;
    try {
      body = await jsonBody(c.req.raw);
    } catch {
      return c.json({ ok: false, error: 'the body must be empty or JSON: {"records":[{"phoneNumber":"...","phoneName":"..."}]}' }, 400);
    }
    const records = typeof body === 'object' && body !== null && Array.isArray((body as { records?: unknown }).records) ? (body as { records: SeedRecord[] }).records : undefined;
    control.reset(records);
    return c.json({ ok: true, records: control.records() });
  });
  routes.get('/state', (c) =>
    c.json({
      records: control.records(),
      applied: control.applied(),
      appliedSummary: control.appliedSummary(),
      tokens: { live: state.tokens.current !== undefined, expiresAt: state.tokens.current?.expiresAt ?? null, generatedLastHour: state.tokens.generatedAt.length },
    }),
  );
  // The complete counts, apart from /state: they grow with the numbers a run touched.
  // `?action=edit&phoneNumber=...` narrows them down.
  routes.get('/applied-counts', (c) => {
    const action = c.req.query('action');
    const phoneNumber = c.req.query('phoneNumber');
    return c.json(control.appliedCounts().filter((n) => (action === undefined || n.action === action) && (phoneNumber === undefined || n.phoneNumber === phoneNumber)));
  });
  routes.get('/calls', (c) => c.json(control.calls()));
  routes.get('/faults', (c) => c.json(control.faults()));
  const setFaults = async (c: { req: { raw: Request }; json: (x: unknown, s?: 200 | 400) => Response }) => {
    try {
      control.setFaults(((await jsonBody(c.req.raw)) ?? {}) as FaultPlan);
    } catch (err) {
      return c.json({ ok: false, error: err instanceof Error ? err.message : String(err) }, 400);
    }
    return c.json({ ok: true, ...control.faults() });
  };
  routes.put('/faults', setFaults);
  routes.post('/faults', setFaults);
  routes.delete('/faults', (c) => {
    control.clearFaults();
    return c.json({ ok: true });
  });
  return routes;
}
