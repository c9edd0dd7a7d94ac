import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_JOB_CONCURRENCY, JobRunner, jobTransport, teamShareBudget, type JobProgress, type JobRow, type TeamDecision } from '@cloudagent-phone/bulk';
import { FileJobStorage } from '@cloudagent-phone/bulk/node';
import { TransportError, type PhoneClient, type Transport } from '@cloudagent-phone/transport';
import type { BulkJobOptions, BulkJobReportLine, BulkJobs, BulkJobStatus } from './jobs.js';

/** What job.json holds: everything about a job but its rows, journal and outcomes. */
interface JobRecord {
  id: string;
  team: string;
  createdAt: string;
  total: number;
  ratePerMinute: number;
  /** Absent in jobs written before it was kept: the default. */
  concurrency?: number;
  teamRateLimitPerMinute: number;
  idempotencyKey?: string;
  cancelRequested: boolean;
  /** The last progress written (the final one once the job has ended). */
  progress: JobProgress;
}

export interface NodeBulkJobsOptions {
  /** EDGE_DATA_DIR: jobs live in `<dir>/jobs/<id>/`. */
  dataDir: string;
  /** A client for an account, sending through the transport given (the job's rate-limited one). */
  clientFor: (userName: string, transport: Transport) => PhoneClient;
  transport: Transport;
  /** The team's limiter (the one interactive calls go through): every request of a job is booked in it. */
  takeFromTeam?: (team: string, limit: number, ceiling: number, count: number) => Promise<TeamDecision>;
}

const ENDED = new Set(['done', 'cancelled', 'failed']);

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.partial`, text, { mode: 0o600 });
  renameSync(`${path}.partial`, path);
}

/**
 * Bulk jobs in this process, kept in EDGE_DATA_DIR: each job's rows are on disk before it is
 * accepted, its journal makes every row exactly once, and jobs that had not ended when the process
 * stopped (even by SIGKILL) are resumed when it starts again.
 */
export function createNodeBulkJobs(options: NodeBulkJobsOptions): BulkJobs {
  const root = join(options.dataDir, 'jobs');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const running = new Map<string, { runner: JobRunner; done: Promise<void> }>();

  const recordPath = (id: string) => join(root, id, 'job.json');
  const read = (id: string): JobRecord | undefined => {
    if (!/^[0-9a-f-]{36}$/.test(id) || !existsSync(recordPath(id))) return undefined;
    return JSON.parse(readFileSync(recordPath(id), 'utf8')) as JobRecord;
  };
  const write = (record: JobRecord) => writeAtomically(recordPath(record.id), `${JSON.stringify(record)}\n`);
  const statusOf = (record: JobRecord): BulkJobStatus => {
    const live = running.get(record.id)?.runner.progress();
    const progress = live && live.state !== 'queued' ? live : record.progress;
    return { id: record.id, team: record.team, createdAt: record.createdAt, ratePerMinute: record.ratePerMinute, concurrency: record.concurrency ?? DEFAULT_JOB_CONCURRENCY, cancelRequested: record.cancelRequested, ...progress };
  };

  function start(record: JobRecord): void {
    // One pace per job, across its accounts: the job's rate is the job's, whatever rows it holds;
    // then the team's limiter, where the job's requests count beside the team's interactive calls.
    const take = options.takeFromTeam;
    const budget = take ? teamShareBudget((limit, ceiling, count) => take(record.team, limit, ceiling, count), record.teamRateLimitPerMinute, record.ratePerMinute) : undefined;
    const { transport, pacer, admit } = jobTransport(options.transport, { ratePerMinute: record.ratePerMinute, concurrency: record.concurrency ?? DEFAULT_JOB_CONCURRENCY }, budget, () => new TransportError('aborted', 'not_sent', 'stopped while waiting for the job\'s rate, before sending'));
    const clients = new Map<string, PhoneClient>();
    const client = (userName: string) => {
      let c = clients.get(userName);
      if (!c) clients.set(userName, (c = options.clientFor(userName, transport)));
      return c;
    };
    const storage = new FileJobStorage(join(root, record.id));
    const runner = new JobRunner({ client, storage, total: record.total, concurrency: record.concurrency ?? DEFAULT_JOB_CONCURRENCY, pacer, admit });
    if (record.cancelRequested) runner.cancel();
    const done = runner.run().then((progress) => {
      storage.close();
      running.delete(record.id);
      // Stopped by close(), the state is `queued`: the next start resumes it.
      write({ ...(read(record.id) ?? record), progress });
    });
    running.set(record.id, { runner, done });
  }

  const creating = new Map<string, Promise<JobRecord>>();
  const keyed = (team: string, key: string): JobRecord | undefined => {
    for (const id of readdirSync(root)) {
      const record = read(id);
      if (record?.team === team && record.idempotencyKey === key) return record;
    }
    return undefined;
  };

  async function createJob(team: string, rows: JobRow[], options: BulkJobOptions): Promise<JobRecord> {
    const id = randomUUID();
    await FileJobStorage.create(join(root, id), rows);
    const record: JobRecord = {
      id,
      team,
      createdAt: new Date().toISOString(),
      total: rows.length,
      ratePerMinute: options.ratePerMinute,
      concurrency: options.concurrency,
      teamRateLimitPerMinute: options.teamRateLimitPerMinute,
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
      cancelRequested: false,
      progress: { state: 'queued', total: rows.length, finished: 0, counts: { applied: 0, notApplied: 0, unknown: 0, cancelled: 0 }, rowsPerMinute: 0, etaSeconds: null },
    };
    // job.json last: a job directory without one was never accepted (and is not resumed).
    write(record);
    start(record);
    return record;
  }

  // Resume what had not ended when the process stopped.
  for (const id of readdirSync(root)) {
    const record = read(id);
    if (record && !ENDED.has(record.progress.state)) start(record);
  }

  return {
    async create(team, rows, options) {
      const { idempotencyKey } = options;
      if (!idempotencyKey) return { status: statusOf(await createJob(team, rows, options)), created: true };
      // The lock: concurrent first requests with one key wait for the first one's job.
      const lockKey = `${team}\n${idempotencyKey}`;
      const pending = creating.get(lockKey);
      if (pending) return { status: statusOf(await pending), created: false };
      const existing = keyed(team, idempotencyKey);
      if (existing) return { status: statusOf(existing), created: false };
      const made = createJob(team, rows, options);
      creating.set(lockKey, made);
      try {
        return { status: statusOf(await made), created: true };
      } finally {
        creating.delete(lockKey);
      }
    },

    async status(team, id) {
      const record = read(id);
      return record?.team === team ? statusOf(record) : undefined;
    },

    async report(team, id) {
      const record = read(id);
      if (record?.team !== team) return undefined;
      const storage = new FileJobStorage(join(root, id));
      // In row order straight from the files: memory flat in the rows (FileJobStorage.rowsWithOutcomes).
      return (async function* (): AsyncIterable<BulkJobReportLine> {
        for await (const { row: { row, userName, input }, outcome: o } of storage.rowsWithOutcomes()) {
          yield {
            row,
            userName,
            action: input.action,
            phoneNumber: input.phoneNumber,
            outcome: o?.outcome ?? 'pending',
            verdict: o?.verdict ?? 'pending',
            message: o?.message ?? 'not finished yet',
            requestId: o?.requestId ?? '',
            attempts: o?.attempts ?? 0,
          };
        }
      })();
    },

    async cancel(team, id) {
      const record = read(id);
      if (record?.team !== team) return undefined;
      if (!ENDED.has(record.progress.state)) {
        write({ ...record, cancelRequested: true });
        running.get(id)?.runner.cancel();
      }
      return statusOf(read(id)!);
    },

    async close() {
      for (const { runner } of running.values()) runner.stop();
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
