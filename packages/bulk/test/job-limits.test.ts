import { createClient, TransportError, type PhoneClient, type Transport } from '@cloudagent-phone/transport';
import { createNodeHttpTransport } from '@cloudagent-phone/transport/node';
import { startSimulator, type RunningSimulator } from '@cloudagent-phone/simulator/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobCancelledError, JobRunner, MemoryJournalStore, RequestPacer, jobPaceFrom, jobTransport, teamShareBudget, withRateLimit, type CallBudget, type JobProgress, type JobRow, type JobRowOutcome, type JobStorage } from '../src/index.js';

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

describe('a job and answers that say "nothing was applied, try again"', () => {
  it('sends a row again after a failure that provably sent nothing (a refused connection), at most `resends` times, at the job\'s pace', async () => {
    // The first two edits fail before anything leaves (the transport says not_sent), then all pass.
    let refusals = 2;
    const refusing: Transport = {
      name: 'refusing',
      capabilities: http.capabilities,
      async send(request, signal) {
        if (request.method !== 'GET' && refusals > 0) {
          refusals -= 1;
          throw new TransportError('network', 'not_sent', 'connection refused');
        }
        return http.send(request, signal);
      },
    };
    const { transport, pacer, admit } = jobTransport(refusing, { ratePerMinute: 6000, concurrency: 1 }, undefined, () => new TransportError('aborted', 'not_sent', 'stopped'));
    const storage = memoryStorage(rowsOf(3));
    const progress = await new JobRunner({ client: clientOver(transport), storage, total: 3, concurrency: 1, pacer, admit, resends: 2 }).run();
    // Row 1 is refused twice and passes on its second (last allowed) resend.
    expect(progress, JSON.stringify(storage.recorded)).toMatchObject({ state: 'done', counts: { applied: 3, notApplied: 0, unknown: 0 } });
    for (let i = 0; i < 3; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);
  });

  it('gives up after `resends` and reports the row not applied (nothing was sent)', async () => {
    const refusing: Transport = {
      name: 'refusing',
      capabilities: http.capabilities,
      async send(request, signal) {
        if (request.method !== 'GET') throw new TransportError('network', 'not_sent', 'connection refused');
        return http.send(request, signal);
      },
    };
    const { transport, pacer, admit } = jobTransport(refusing, { ratePerMinute: 6000, concurrency: 1 }, undefined, () => new TransportError('aborted', 'not_sent', 'stopped'));
    let sends = 0;
    const counting: Transport = { ...transport, send: (request, signal) => (sends++, transport.send(request, signal)) };
    const storage = memoryStorage(rowsOf(1));
    const progress = await new JobRunner({ client: clientOver(counting), storage, total: 1, concurrency: 1, pacer, admit, resends: 2 }).run();
    expect(progress.counts).toMatchObject({ notApplied: 1, unknown: 0 });
    expect(sends).toBe(3);
    expect(sim.control.calls()).toHaveLength(0);
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

describe('a job\'s turn is waited for before the client call (jobTransport\'s admit)', () => {
  it('lets a row go at once (no promise) while the pace has no wait and a booking is held, and waits otherwise', async () => {
    const asked: number[] = [];
    const budget = teamShareBudget(async (_limit, _ceiling, count) => {
      asked.push(count);
      return { allowed: true, retryAfterSeconds: 0, granted: count };
    }, 1_000_000, 600);
    expect(budget.bookHeld?.()).toBe(false);
    // Unlimited pace: the first row asks the team (10, a second of 600 a minute), the next 9 use what it booked.
    const fast = jobTransport(http, { ratePerMinute: 0, concurrency: 4 }, budget, () => new Error('stopped'));
    const first = fast.admit();
    expect(first).toBeInstanceOf(Promise);
    await first;
    const next = Array.from({ length: 10 }, () => fast.admit());
    expect(next.map((t) => t === undefined)).toEqual([true, true, true, true, true, true, true, true, true, false]);
    await Promise.all(next);
    expect(asked).toEqual([10, 10]);
    // A pace that makes the next row wait: a promise, resolved after the wait.
    const paced = jobTransport(http, { ratePerMinute: 600, concurrency: 4 }, undefined, () => new Error('stopped'));
    expect(paced.admit()).toBeUndefined();
    const second = paced.admit();
    expect(second).toBeInstanceOf(Promise);
    const started = performance.now();
    await second;
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
  });

  it('takes a slot less than a millisecond away at once (no timer: it would wait a whole millisecond), and still holds the rate', async () => {
    // 100,000 a minute: a slot every 0.6 ms. Rows started in one turn come microseconds apart.
    const fast = jobTransport(http, { ratePerMinute: 100_000, concurrency: 16 }, undefined, () => new Error('stopped'));
    const started = performance.now();
    const turns = Array.from({ length: 50 }, () => fast.admit());
    expect(turns.slice(0, 2)).toEqual([undefined, undefined]);
    // Fifty slots are 30 ms of the pace: the later ones wait for theirs.
    expect(turns.some((t) => t instanceof Promise)).toBe(true);
    await Promise.all(turns);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rows queued behind the pace do not run out the client\'s per-attempt timeout: every row applied', async () => {
    // 20 a second (50 ms apart) at 6 in flight: the last of a round waits 250 ms, past the 200 ms timeout.
    const { transport, pacer, admit } = jobTransport(http, { ratePerMinute: 1200, concurrency: 6 }, undefined, () => new TransportError('aborted', 'not_sent', 'stopped'));
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: sim.url, transport, timeoutMs: 200, maxRetries: 0 });
    const storage = memoryStorage(rowsOf(24));
    const started = performance.now();
    const progress = await new JobRunner({ client, storage, total: 24, concurrency: 6, pacer, admit }).run();
    expect(progress).toMatchObject({ state: 'done', counts: { applied: 24, notApplied: 0, unknown: 0 } });
    // And the pace held: 24 requests 50 ms apart take at least 23 x 50 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(23 * 50 - 5);
    for (let i = 0; i < 24; i++) expect(sim.control.timesApplied('edit', num(i))).toBe(1);
  });

  it('the same rows paced inside the transport alone time out waiting (what admit is for)', async () => {
    const { transport, pacer } = jobTransport(http, { ratePerMinute: 1200, concurrency: 6 }, undefined, () => new TransportError('aborted', 'not_sent', 'stopped'));
    const client = createClient({ userName: USER, apiKey: KEY, baseUrl: sim.url, transport, timeoutMs: 200, maxRetries: 0 });
    const progress = await new JobRunner({ client, storage: memoryStorage(rowsOf(24)), total: 24, concurrency: 6, pacer }).run();
    // Rows that timed out waiting for their turn, a fault of the pacing alone.
    expect(progress.counts.notApplied + progress.counts.unknown).toBeGreaterThan(0);
  });
});

describe('a store that refuses a row\'s "sending" because the job was cancelled (the Workers job object)', () => {
  it('sends none of the refused rows and reports them not sent; rows sent before stay applied', async () => {
    const journal = new MemoryJournalStore('job');
    let sendingsAllowed = 4;
    const refusing = {
      name: 'refusing',
      lines: () => journal.lines(),
      append(text: string) {
        const sendings = text.split('\n').filter((l) => l.includes('"s":"sending"')).length;
        if (sendings > 0 && sendingsAllowed <= 0) {
          // The other lines are written, as the job object does.
          journal.append(text.split('\n').filter((l) => l !== '' && !l.includes('"s":"sending"')).map((l) => `${l}\n`).join(''));
          throw new JobCancelledError();
        }
        sendingsAllowed -= sendings;
        journal.append(text);
      },
      close() {},
    };
    const storage = { ...memoryStorage(rowsOf(10)), journal: refusing };
    const recorded = storage.recorded;
    const progress = await new JobRunner({ client: clientOver(http), storage, total: 10, concurrency: 1 }).run();
    expect(progress.state).toBe('cancelled');
    const edits = sim.control.calls().filter((c) => c.action === 'edit').length;
    expect(edits).toBe(4);
    expect(recorded.filter((o) => o.verdict === 'applied')).toHaveLength(4);
    expect(recorded.filter((o) => o.outcome === 'not_sent')).toHaveLength(6);
  });
});
