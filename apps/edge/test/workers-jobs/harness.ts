import { env as workerEnv, exports } from 'cloudflare:workers';
import { inject } from 'vitest';
import type { AppliedMutation, CallRecord, FaultPlan } from '@cloudagent-phone/simulator';
import type { JobsEnv } from '../../src/bulk-jobs/workers/jobs-env.js';
import { TEAM_TOKENS } from '../suite/fixtures.js';
import { jobNumber, jobSeed, JOB_SEED_ROWS } from './fixtures.js';
import './provided-context.js';

export interface JobBody {
  id: string;
  url: string;
  state: string;
  total: number;
  finished: number;
  ratePerMinute: number;
  concurrency: number;
  counts: { applied: number; notApplied: number; unknown: number; cancelled: number };
  resumesAt?: string;
  error?: string;
}

export interface ReportLine {
  row: number;
  phoneNumber: string;
  outcome: string;
  verdict: string;
  message: string;
}

const simulator = inject('simulator').url;
/** The bulk-jobs Worker's bindings (`Env` is the edge Worker's, from wrangler types). */
export const env = workerEnv as unknown as JobsEnv;

/** The bulk-jobs Worker's own entry serves the request, as the edge Worker's service binding would. */
export function jobsRequest(path: string, init: RequestInit & { team?: keyof typeof TEAM_TOKENS } = {}): Promise<Response> {
  const { team = 'alpha', ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('authorization', `Bearer ${TEAM_TOKENS[team]}`);
  return exports.default.fetch(new Request(`https://edge.test${path}`, { ...rest, headers }));
}

export async function postJob(rows: object[], query: string, init: { key?: string; team?: keyof typeof TEAM_TOKENS } = {}): Promise<Response> {
  return jobsRequest(`/bulk-jobs?userName=demo${query}`, {
    method: 'POST',
    ...(init.team ? { team: init.team } : {}),
    headers: { 'content-type': 'application/x-ndjson', ...(init.key ? { 'idempotency-key': init.key } : {}) },
    body: rows.map((r) => JSON.stringify(r)).join('\n'),
  });
}

/** The id a job with this team and key gets (known before it exists, so a test can watch its Workflow). */
export function keyedJobId(team: string, key: string): string {
  return env.BULK_JOB.idFromName(`${team}\n${key}`).toString();
}

export async function status(id: string, team: keyof typeof TEAM_TOKENS = 'alpha'): Promise<JobBody> {
  return (await (await jobsRequest(`/bulk-jobs/${id}`, { team })).json()) as JobBody;
}

export async function report(id: string): Promise<ReportLine[]> {
  const res = await jobsRequest(`/bulk-jobs/${id}/report`, { headers: { accept: 'application/x-ndjson' } });
  const text = new TextDecoder().decode(await res.arrayBuffer());
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ReportLine);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 300_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const ENDED = new Set(['done', 'cancelled', 'failed']);
export const untilEnded = (id: string, ms?: number) => waitFor(`job ${id} to end`, async () => {
  const s = await status(id);
  return ENDED.has(s.state) ? s : undefined;
}, ms);

/** The simulator, over its control routes. */
export const sim = {
  async reset(): Promise<void> {
    await fetch(`${simulator}/__simulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: jobSeed(JOB_SEED_ROWS) }) });
  },
  async setFaults(plan: FaultPlan): Promise<void> {
    const res = await fetch(`${simulator}/__simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(plan) });
    if (!res.ok) throw new Error(await res.text());
  },
  async clearFaults(): Promise<void> {
    await fetch(`${simulator}/__simulator/faults`, { method: 'DELETE' });
  },
  /** Every applied mutation (the log keeps them all here: appliedLogLimit in global-setup.ts), each with the call that applied it. */
  async applied(): Promise<AppliedMutation[]> {
    return ((await (await fetch(`${simulator}/__simulator/state`)).json()) as { applied: AppliedMutation[] }).applied;
  },
  async calls(): Promise<CallRecord[]> {
    return (await (await fetch(`${simulator}/__simulator/calls`)).json()) as CallRecord[];
  },
  /** How many times each number was edited (applied), complete. */
  async editsApplied(): Promise<Map<string, number>> {
    const counts = (await (await fetch(`${simulator}/__simulator/applied-counts?action=edit`)).json()) as { phoneNumber: string; count: number }[];
    return new Map(counts.map((c) => [c.phoneNumber, c.count]));
  },
};

/** A rename of seeded number i: reading back tells whether it landed. */
export const renameRow = (i: number) => ({ phoneNumber: jobNumber(i), phoneName: `Line${i}`, phoneNameNew: `Moved${i}` });
