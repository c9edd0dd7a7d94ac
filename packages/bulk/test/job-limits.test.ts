import { createClient, type PhoneClient, type Transport } from '@cloudagent-phone/transport';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobRunner, MemoryJournalStore, RequestPacer, jobPaceFrom, teamShareBudget, withRateLimit, type CallBudget, type JobProgress, type JobRow, type JobRowOutcome, type JobStorage } from '../src/index.js';

// What a job does with CloudAgent's 429 and with a budget it shares with others (the team's rate on
// the edge), against the simulator on loopback.
const USER = 'limits_user';
const KEY = 'KK_canary_limits_key_01';
const num = (i: number) => `+917100${String(i).padStart(6, '0')}`;
const seed = (count: number) => Array.from({ length: count }, (_, i) => ({ phoneNumber: num(i), phoneName: `Line${i}` }));
/** Skills-only edits apply again if sent again, so a row sent twice shows twice in the applied log. */
const rowsOf = (count: number): JobRow[] => Array.from({ length: count }, (_, i) => ({ row: i + 1, userName: USER, input: { action: 'edit', phoneNumber: num(i), phoneName: `Line${i}`, assignSkill: 'General' } }));

function memoryStorage(rows: JobRow[], journal = new MemoryJournalStore('job')): JobStorage & { recorded: JobRowOutcome[] } {
  const recorded: JobRowOutcome[] = [];
  return {
    recorded,
    journal,
    async *rows() {
      yield* rows;
    },
    async *outcomes() {
      yield* recorded;
    },
    recordOutcome(outcome) {
      recorded.push(outcome);
    },
  };
}

let sim: RunningSimulator;
const http = createNodeHttpTransport();
const clientOver = (transport: Transport): PhoneClient => createClient({ userName: USER, apiKey: KEY, baseUrl: sim.url, transport, timeoutMs: 10_000, maxRetries: 0 });
const stopped = () => new Error('stopped');

beforeAll(async () => {
  sim = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: seed(100), skills: ['General'] });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset(seed(100)));

describe('a job and CloudAgent 429', () => {
  it('pauses on a 429 for its Retry-After (state paused, resumesAt), sends the refused rows again, and applies each once', async () => {
    // Three 429s in a row, each with Retry-After 0.3 s, then normal answers.
    sim.control.setFaults({ queue: Array.from({ length: 3 }, () => ({ kind: 'rate-limit' as const, retryAfterSeconds: 0.3 })), actions: ['edit'] });
    const pacer = new RequestPacer(0);
    const storage = memoryStorage(rowsOf(20));
    const runner = new JobRunner({ client: clientOver(withRateLimit(http, pacer, stopped, { pauseOnRateLimit: true })), storage, total: 20, concurrency: 1, pacer });
    const seen: JobProgress[] = [];
    const done = runner.run();
    const watching = (async () => {
      while (seen.at(-1)?.state !== 'done') {
        seen.push(runner.progress());
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const progress = await done;
    await watching;
    expect(progress).toMatchObject({ state: 'done', finished: 20, counts: { applied: 20, notApplied: 0, unknown: 0 } });
    const paused = seen.find((p) => p.state === 'paused');
    expect(paused?.resumesAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (let i = 0; i < 20; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);
    // The refused row was sent again: 23 edits reached the simulator, 20 applied.
    expect(sim.control.calls().filter((c) => c.action === 'edit')).toHaveLength(23);
    expect(storage.recorded.every((o) => o.verdict === 'applied')).toBe(true);
  });

  it('with yieldOnPauseOverMs, a long pause ends the run in state paused; the next run sends the refused row and the rest', async () => {
    sim.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 30 }], actions: ['edit'] });
    const journal = new MemoryJournalStore('job');
    const storage = memoryStorage(rowsOf(10), journal);
    const first = new RequestPacer(0);
    const paused = await new JobRunner({ client: clientOver(withRateLimit(http, first, stopped, { pauseOnRateLimit: true })), storage, total: 10, concurrency: 1, pacer: first, yieldOnPauseOverMs: 1000 }).run();
    expect(paused.state).toBe('paused');
    expect(Date.parse(paused.resumesAt!) - Date.now()).toBeGreaterThan(20_000);
    expect(paused.finished).toBe(0);
    expect(storage.recorded).toHaveLength(0);
    // After the pause (a Workflow's durable sleep), a new run on the same storage.
    const second = new RequestPacer(0);
    const done = await new JobRunner({ client: clientOver(withRateLimit(http, second, stopped, { pauseOnRateLimit: true })), storage, total: 10, concurrency: 1, pacer: second }).run();
    expect(done).toMatchObject({ state: 'done', finished: 10, counts: { applied: 10 } });
    for (let i = 0; i < 10; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);
  });
});

describe('a job and a shared budget', () => {
  it('books every request in the budget and waits when the budget says so', async () => {
    let booked = 0;
    let refusals = 0;
    // Refuses every third booking once (with a short wait), as a team limiter over its share would.
    const budget: CallBudget = {
      async book() {
        if (booked % 3 === 2 && refusals < booked / 3) {
          refusals += 1;
          return 10;
        }
        booked += 1;
        return 0;
      },
    };
    const pacer = new RequestPacer(0);
    const storage = memoryStorage(rowsOf(12));
    const progress = await new JobRunner({ client: clientOver(withRateLimit(http, pacer, stopped, { budget })), storage, total: 12, concurrency: 2, pacer }).run();
    expect(progress).toMatchObject({ state: 'done', counts: { applied: 12 } });
    // One booking per request that reached CloudAgent, and the refusals were waited out.
    expect(booked).toBe(sim.control.calls().length);
    expect(refusals).toBeGreaterThan(0);
  });

  it('without a pace, a budget or 429 pauses, the transport is the one given (no wrapper cost)', () => {
    expect(withRateLimit(http, new RequestPacer(0), stopped)).toBe(http);
    expect(withRateLimit(http, new RequestPacer(0), stopped, { pauseOnRateLimit: true })).not.toBe(http);
  });
});

describe('a job\'s pace and its share of the team', () => {
  it('defaults to 30 a minute and 4 in flight, capped at half the team\'s rate', () => {
    expect(jobPaceFrom({}, 120)).toEqual({ ok: true, pace: { ratePerMinute: 30, concurrency: 4 } });
    expect(jobPaceFrom({ ratePerMinute: '500', concurrency: '8' }, 120)).toEqual({ ok: true, pace: { ratePerMinute: 60, concurrency: 8 } });
    expect(jobPaceFrom({}, 20)).toEqual({ ok: true, pace: { ratePerMinute: 10, concurrency: 4 } });
  });

  it('names the field and the rule of a pace it cannot take', () => {
    const result = jobPaceFrom({ ratePerMinute: '0', concurrency: '1e3' }, 120);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => [i.field, i.rule])).toEqual([
      ['ratePerMinute', 'range'],
      ['concurrency', 'range'],
    ]);
  });

  it('books with half the team\'s limit as its ceiling, and waits the limiter\'s Retry-After when refused', async () => {
    const asked: [number, number, number][] = [];
    let allowed = true;
    const budget = teamShareBudget(async (limit, ceiling, count) => {
      asked.push([limit, ceiling, count]);
      return { allowed, retryAfterSeconds: 7 };
    }, 61);
    expect(await budget.book()).toBe(0);
    allowed = false;
    expect(await budget.book()).toBe(7000);
    expect(asked).toEqual([
      [61, 30, 1],
      [61, 30, 1],
    ]);
  });

  it('a fast job books a second of its rate at once and uses what was granted before asking again', async () => {
    const asked: number[] = [];
    const budget = teamShareBudget(async (_limit, _ceiling, count) => {
      asked.push(count);
      return { allowed: true, retryAfterSeconds: 0, granted: 3 };
    }, 100_000, 600);
    for (let i = 0; i < 7; i++) expect(await budget.book()).toBe(0);
    // 600 a minute is 10 a second: asked for 10, granted 3 each time, so 3 calls cover 7 requests.
    expect(asked).toEqual([10, 10, 10]);
  });
});
