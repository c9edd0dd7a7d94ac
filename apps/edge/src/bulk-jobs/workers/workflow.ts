import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep, type WorkflowStepConfig } from 'cloudflare:workers';
import { JobCancelledError, JobRunner, jobTransport, teamShareBudget, type JobRow, type JobRowOutcome, type JobStorage, type JournalStore } from '@cloudagent-phone/bulk';
import { createClientWithTransport, TransportError, type PhoneClient } from '@cloudagent-phone/transport';
import { createSocketTransport } from '@cloudagent-phone/transport/workers';
import { durableAccountTokens } from '@cloudagent-phone/server/workers';
import { configFor } from '../../config-cache.js';
import type { BulkJobParams, JobsEnv } from './jobs-env.js';
import type { BulkJob } from './job-object.js';

/** A pause (429) longer than this ends the slice step; the Workflow sleeps durably instead. */
const SLEEP_PAUSES_OVER_MS = 5_000;
/**
 * A job's clients do not retry inside a call (JobRunner resends what may be resent, after the
 * row's turn, and a 429 pauses the job): a request of a run that died is over within its timeout.
 */
const JOB_CLIENT_RETRIES = 0;

/**
 * A slice step is retried when it throws (a Durable Object call failed, the isolate went away):
 * every retry starts from the journal, so nothing is sent twice. It may run long at a slow rate.
 */
const SLICE_STEP: WorkflowStepConfig = { retries: { limit: 10, delay: '5 seconds', backoff: 'exponential' }, timeout: '2 hours' };
const RECORD_STEP: WorkflowStepConfig = { retries: { limit: 10, delay: '1 second', backoff: 'exponential' }, timeout: '1 minute' };

/** Another run of the slice took over (Workflows retried a step it thought lost): this one stops. */
export class SupersededRunError extends Error {
  constructor() {
    super('another run of this job has taken over; this one stops before sending anything more');
    this.name = 'SupersededRunError';
  }
}

type SliceResult = { state: 'done' | 'cancelled' | 'queued' } | { state: 'paused'; pausedForMs: number };

/**
 * A slice's rows, journal and outcomes in the job's Durable Object, as JobRunner's storage. The
 * journal's appends carry the outcomes recorded since the last one (an outcome is only the report's:
 * one lost in a crash is recorded again from the journal), and the answer says whether the job was
 * cancelled meanwhile.
 */
class SliceStorage implements JobStorage {
  readonly journal: JournalStore;
  #pending: JobRowOutcome[] = [];

  constructor(
    private readonly job: DurableObjectStub<BulkJob>,
    private readonly runId: string,
    private readonly from: number,
    private readonly to: number,
    onCancelled: () => void,
  ) {
    const pending = () => this.#pending.splice(0);
    this.journal = {
      name: `bulk job slice ${from}-${to}`,
      lines: async function* () {
        yield* await job.journalLines(from, to);
      },
      async append(text) {
        const answer = await job.append(runId, text, pending());
        // Thrown before a row's request leaves: the row stays as the journal had it.
        if (answer.superseded) throw new SupersededRunError();
        if (answer.cancelled) onCancelled();
        // Cancelled before these rows' "sending" was written: they are not sent (reported not sent).
        if (answer.refusedSending) throw new JobCancelledError();
      },
      close() {},
    };
  }

  async *rows(): AsyncIterable<JobRow> {
    yield* (await this.job.sliceRows(this.from, this.to)) as JobRow[];
  }

  async *outcomes(): AsyncIterable<JobRowOutcome> {
    yield* (await this.job.sliceOutcomes(this.from, this.to)) as JobRowOutcome[];
  }

  recordOutcome(outcome: JobRowOutcome): void {
    this.#pending.push(outcome);
  }

  /** Writes the outcomes not yet carried by an append. */
  async flush(): Promise<void> {
    if (this.#pending.length > 0 && (await this.job.append(this.runId, '', this.#pending.splice(0))).superseded) throw new SupersededRunError();
  }
}

/**
 * A bulk job on Workers: the rows in slices, one durable step each (JobRunner over the slice, the
 * journal in the job's Durable Object), a durable sleep when CloudAgent's 429 asks for a pause
 * longer than a few seconds, and a last step that records how the job ended. Step names depend only
 * on the plan and earlier results, so a replay finds its completed steps.
 */
export class BulkJobWorkflow extends WorkflowEntrypoint<JobsEnv, BulkJobParams> {
  override async run(event: Readonly<WorkflowEvent<BulkJobParams>>, step: WorkflowStep): Promise<{ state: string }> {
    const { jobId } = event.payload;
    const job = this.env.BULK_JOB.get(this.env.BULK_JOB.idFromString(jobId));
    try {
      const { total, sliceRows } = await step.do('plan', RECORD_STEP, async () => {
        const { total, sliceRows } = await job.plan();
        return { total, sliceRows };
      });
      for (let from = 1; from <= total; from += sliceRows) {
        const to = Math.min(total, from + sliceRows - 1);
        for (let part = 1; ; part++) {
          const result = await step.do(`rows ${from}-${to} (${part})`, SLICE_STEP, () => this.runSlice(job, from, to));
          if (result.state === 'paused') {
            await step.sleep(`paused by rate limit: rows ${from}-${to} (${part})`, Math.max(1_000, result.pausedForMs));
            continue;
          }
          if (result.state === 'cancelled') {
            await step.do('cancel the rest', RECORD_STEP, () => job.cancelRest(to + 1));
            return { state: 'cancelled' };
          }
          break;
        }
      }
      await step.do('done', RECORD_STEP, async () => {
        await job.finish('done');
      });
      return { state: 'done' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await step.do('failed', RECORD_STEP, async () => {
        await job.finish('failed', `a step of the job's Workflow kept failing: ${message}`);
      });
      throw error;
    }
  }

  /** One slice: rows `from` to `to`, exactly once each, from wherever the journal says it got to. */
  async runSlice(job: DurableObjectStub<BulkJob>, from: number, to: number): Promise<SliceResult> {
    const config = configFor(this.env);
    if (!config.ok) throw new Error(`the bulk-jobs Worker's configuration is invalid: ${config.issues.map((i) => i.message).join('; ')}`);
    const { timeoutMs, baseUrl, accounts } = config.config;
    // Long enough for a request of a run that died with it in flight to be over (with a token fetch before it).
    const quietMs = 2 * timeoutMs + 5_000;
    const start = await job.beginSlice(quietMs);
    if (start.quietForMs > 0) await new Promise((resolve) => setTimeout(resolve, start.quietForMs));

    const limiter = this.env.TEAM_RATE_LIMITER.get(this.env.TEAM_RATE_LIMITER.idFromName(start.team));
    const budget = teamShareBudget((limit, ceiling, count) => limiter.take(limit, ceiling, count), start.teamRateLimitPerMinute, start.ratePerMinute);
    const { transport, pacer, admit } = jobTransport(createSocketTransport(), start, budget, () => new TransportError('aborted', 'not_sent', 'stopped while waiting for the job\'s rate, before sending'));
    const tokens = durableAccountTokens(this.env.ACCOUNT_TOKENS, { baseUrl, timeoutMs });
    const clients = new Map<string, PhoneClient>();
    const clientFor = (userName: string): PhoneClient => {
      let client = clients.get(userName);
      if (!client) {
        const account = accounts.get(userName);
        if (!account) throw new Error(`a bulk job row names an account that is not in CLOUDAGENT_ACCOUNTS: ${userName}`);
        client = createClientWithTransport({
          userName: account.userName,
          apiKey: account.apiKey,
          auth: account.auth,
          ...(account.auth === 'token' ? { tokenProvider: tokens(account.userName, account.apiKey) } : {}),
          baseUrl,
          transport,
          timeoutMs,
          maxRetries: JOB_CLIENT_RETRIES,
        });
        clients.set(userName, client);
      }
      return client;
    };

    let runner: JobRunner | undefined;
    const storage = new SliceStorage(job, start.runId, from, to, () => runner?.cancel());
    runner = new JobRunner({ client: clientFor, storage, total: to - from + 1, concurrency: start.concurrency, pacer, admit, yieldOnPauseOverMs: SLEEP_PAUSES_OVER_MS });
    if (start.cancelled) runner.cancel();
    const progress = await runner.run();
    // A failed run left its rows "sending" where it stopped: the step's retry reads them back.
    if (progress.state === 'failed') throw new Error(progress.error ?? 'the slice failed');
    await storage.flush();
    const pausedForMs = progress.state === 'paused' ? pacer.pausedFor() : 0;
    if ((await job.endSlice(start.runId, progress.state === 'paused' ? Date.now() + pausedForMs : undefined)).superseded) throw new SupersededRunError();
    if (progress.state === 'paused') return { state: 'paused', pausedForMs };
    return { state: progress.state === 'cancelled' ? 'cancelled' : 'done' };
  }
}
