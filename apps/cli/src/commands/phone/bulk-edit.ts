import { rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ApiCommand } from '../../api-command.js';
import type { CommandResult } from '../../base-command.js';
import { usageError } from '../../cli-error.js';
import { EXIT, type ExitCode, BULK_EXIT_CODES } from '../../exit-codes.js';
import type { BulkSummary } from '../../bulk/run-bulk.js';
import { createCliClient } from '../../client-factory.js';
import { formatRequest } from '../../request-log.js';
import { ENV } from '../../settings/resolve-target.js';

const rateFlag = Flags.custom<number>({
  parse: async (input) => {
    const value = Number(input);
    if (!Number.isFinite(value) || value < 0 || value > 1000) throw new Error(`--rate must be a number of requests per second from 0 to 1000 (got "${input}"); 0 means no limit`);
    return value;
  },
});

function bulkHintFor(code: ExitCode): string | undefined {
  switch (code) {
    case EXIT.invalidInput:
      return 'fix the rows marked "invalid" in the report (edit them in place, do not insert or remove rows) and run the same command again: rows already applied are skipped';
    case EXIT.authRejected:
      return 'check CLOUDAGENT_USERNAME and CLOUDAGENT_API_KEY (and --auth), then run the same command again to resume';
    case EXIT.transient:
      return 'run the same command again: it resumes from the journal and skips every row already applied';
    case EXIT.outcomeUnknown:
      return 'rows marked "unknown" in the report may have been applied: check them in CloudAgent before doing anything with them';
    case EXIT.conflict:
    case EXIT.notFound:
    case EXIT.rejected:
    case EXIT.partialSuccess:
      return 'see the report for each failed row and its reason';
    default:
      return undefined;
  }
}

/** After a job on an edge: the same file follows the same job, so what to do differs from a local resume. */
function remoteHintFor(code: ExitCode): string | undefined {
  switch (code) {
    case EXIT.authRejected:
      return "CloudAgent refused the edge's credentials for the account: tell the edge's operator";
    case EXIT.transient:
      return 'rows marked not_sent, or failed with a temporary error, were not applied: put them in a new file and submit that (the same file follows this same job)';
    default:
      return bulkHintFor(code);
  }
}

/**
 * The report or the journal cannot be created (no such directory, no permission): input the person
 * can fix, caught before any row is sent. `given` says whether they chose the path or it is the default.
 */
function unwritable(flag: string, path: string, given: boolean): (error: unknown) => never {
  return (error) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'ENOTDIR' && code !== 'EROFS') throw error;
    throw usageError(
      `${given ? flag : `the ${flag.slice(2)} file`} ${path} cannot be written (${code}); nothing was sent`,
      given ? `pass ${flag} with a path in a directory you can write to` : `the input's directory is not writable: pass ${flag} PATH somewhere you can write`,
    );
  };
}

/** A bulk run: where its files are, its row counts and its pace. */
export interface BulkEditResult {
  input: string;
  report: string;
  journal: string | null;
  dryRun: boolean;
  resumed: boolean;
  /** Why the run stopped before the end of the file, if it did. */
  stopped: BulkSummary['stopped'];
  counts: Record<string, number>;
  durationMs: number;
  rowsPerSecond: number;
  /** --remote: the edge the file was (or would be, under --dry-run) submitted to. */
  remote?: string;
  /** --remote: the job that ran the file. */
  job?: { id: string; edge: string; state: string; total: number };
}

export default class PhoneBulkEdit extends ApiCommand<typeof PhoneBulkEdit, BulkEditResult> {
  static summary = 'Edit many phone numbers from a CSV file, resumably.';

  static description =
    `The file needs a header row: phoneNumber,phoneName,phoneNumberNew,phoneNameNew,assignSkill,unAssignSkill
(only the first two are required; an empty cell leaves that field out; skills in one cell are separated by ; or by commas inside quotes).

The file is streamed, so memory does not grow with its size. Every row is validated first: invalid rows are reported and never sent.

A journal beside the file (FILE.caphone-journal.jsonl) records each row before it is sent and after its answer. Running the same command again resumes: rows already applied are skipped, and a row whose outcome was unknown (the run died mid-request, or the answer was ambiguous) is read back first and sent again only if it provably did not apply.

A report (numbers.csv → numbers.report.csv, or --report) gets one line per row with its outcome and exit code. The command exits with the most severe row's code (order: 1, 8, 3, 7, 5, 4, 2, 6, 0).`;

  static exitCodes = BULK_EXIT_CODES;

  static examples = [
    '<%= config.bin %> <%= command.id %> numbers.csv',
    '<%= config.bin %> <%= command.id %> numbers.csv --concurrency 8 --rate 5 --report results.json',
    '<%= config.bin %> <%= command.id %> numbers.csv --dry-run',
  ];

  static args = {
    file: Args.string({ description: 'CSV file with a header row.', required: true }),
  };

  static flags = {
    concurrency: Flags.integer({ description: 'Rows in flight at once.', default: 4, min: 1, max: 64 }),
    rate: rateFlag({ description: 'Requests per second, all rows together (CloudAgent rate-limits accounts); 0 for no limit.', default: 5 }),
    report: Flags.string({ description: 'Per-row report file; .json gives a JSON array, anything else CSV. [default: beside the input, numbers.csv → numbers.report.csv]' }),
    'report-format': Flags.string({ description: 'Report format, when the extension does not say.', options: ['csv', 'json'] }),
    journal: Flags.string({ description: 'Journal file. [default: FILE.caphone-journal.jsonl beside the input]' }),
    remote: Flags.string({
      description: `Run the file as a job on this cloudagent-phone edge instead of from here (the team token from ${ENV.edgeToken} or the profile): it keeps running if this machine sleeps or disconnects. The same file submitted again follows the same job.`,
      exclusive: ['edge-url', 'journal', 'concurrency', 'rate'],
    }),
  };

  protected async execute(): Promise<CommandResult<BulkEditResult>> {
    const input = resolve(this.args.file);
    const info = await stat(input).catch(() => undefined);
    if (!info?.isFile()) throw usageError(`${this.args.file} is not a readable file`, 'give the path of the CSV file to apply');
    const stem = join(dirname(input), basename(input, extname(input)));
    const reportPath = resolve(this.flags.report ?? `${stem}.report.${this.flags['report-format'] ?? 'csv'}`);
    const reportFormat = (this.flags['report-format'] ?? (extname(reportPath).toLowerCase() === '.json' ? 'json' : 'csv')) as 'csv' | 'json';
    const journalPath = resolve(this.flags.journal ?? `${input}.caphone-journal.jsonl`);
    if (reportPath === input || journalPath === input || reportPath === journalPath) {
      throw usageError('the report, the journal and the input must be three different files', 'pass --report and --journal with other paths');
    }

    if (this.flags.remote !== undefined) return this.executeRemote(input, reportPath, reportFormat);

    const target = await this.loadTarget();
    const credentials = this.credentials(target);
    const dryRun = Boolean(this.flags['dry-run']);

    const [{ runBulk, checkJournalMatches, journalFingerprint, ROW_FINGERPRINT }, { openJournal, peekJournal }, { ReportWriter }, { Progress }] = await Promise.all([
      import('../../bulk/run-bulk.js'),
      import('../../bulk/journal-file.js'),
      import('../../bulk/report.js'),
      import('../../bulk/progress.js'),
    ]);

    // The report first: a run that cannot write it stops before the journal exists, so a failure
    // before anything is sent leaves no journal behind (and a resume does not take it for a run).
    const report = await ReportWriter.open(reportPath, reportFormat).catch(unwritable('--report', reportPath, Boolean(this.flags.report)));
    let journal: Awaited<ReturnType<typeof openJournal>> | undefined;
    try {
      journal = dryRun ? undefined : await openJournal(journalPath, ROW_FINGERPRINT);
    } catch (error) {
      await report.close().catch(() => undefined);
      await rm(reportPath, { force: true });
      return unwritable('--journal', journalPath, Boolean(this.flags.journal))(error);
    }
    try {
      const fingerprint = journal && journalFingerprint(journal);
      if (journal?.resumed && fingerprint) {
        this.out.note(`resuming from ${journalPath} (${journal.rows.size} row(s) already recorded)`);
        await checkJournalMatches(input, journal, fingerprint);
      }
      // client-factory is imported statically: the phone commands load it anyway, and a chunk of its own would be one more file per start.
      const { RequestPacer } = await import('@cloudagent-phone/bulk');
      // One limiter: --rate is for the whole run, read-backs included. The client reads rows back
      // over v2 itself (a v1 run too), and prepares the dry run's request.
      const limiter = new RequestPacer(this.flags.rate);
      const client = await createCliClient({ target, credentials, out: this.out, timeoutMs: this.flags.timeout * 1000, cacheDir: this.config.cacheDir, sockets: this.flags.concurrency, limiter });

      const counts = { rows: 0, sent: 0, applied: 0, partial: 0, failed: 0, invalid: 0, skipped: 0, ambiguous: 0, notSent: 0, valid: 0 };
      const stderr = process.stderr;
      const progress = new Progress(stderr, info.size, counts, Boolean(stderr.isTTY) && !this.out.json);

      // First Ctrl-C: finish the rows in flight (their answers get journalled), send no more.
      // Second: leave now; the journal's "sending" marks make the next run read those rows back.
      const stop = new AbortController();
      const onSignal = () => {
        if (stop.signal.aborted) process.exit(130);
        this.out.note('\nstopping: waiting for the rows in flight; press Ctrl-C again to quit at once (they will be read back on resume)');
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const started = performance.now();
      let summary;
      try {
        summary = await runBulk({
          input,
          concurrency: this.flags.concurrency,
          out: this.out,
          report,
          progress,
          counts,
          stop: stop.signal,
          client,
          ...(journal && fingerprint ? { journal, fingerprint } : {}),
          ...(dryRun ? { dryRun: true, knownRows: await peekJournal(journalPath) } : {}),
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await report.close();
      }
      const seconds = (performance.now() - started) / 1000;
      const hint = bulkHintFor(summary.exitCode);
      return {
        outcome: summary.outcome,
        message: dryRun ? `dry run, nothing sent: ${summary.message}` : summary.message,
        result: {
          input,
          report: reportPath,
          journal: journal ? journalPath : null,
          dryRun,
          resumed: journal?.resumed ?? false,
          stopped: summary.stopped,
          counts,
          durationMs: Math.round(seconds * 1000),
          rowsPerSecond: seconds > 0 ? Math.round(counts.sent / seconds) : 0,
        },
        request: summary.exampleRequest,
        exitCode: summary.exitCode,
        lines: [
          ...(dryRun && summary.exampleRequest ? ['the first row would send:', formatRequest(summary.exampleRequest).replace(/^> ?/gm, '  '), ''] : []),
          summary.message,
          `report:  ${reportPath}`,
          ...(journal ? [`journal: ${journalPath}`] : []),
        ],
        ...(hint ? { hint } : {}),
      };
    } finally {
      await journal?.close();
    }
  }

  /** --remote: the edge runs the job; this submits it, follows it, and writes its report. */
  private async executeRemote(input: string, reportPath: string, reportFormat: 'csv' | 'json'): Promise<CommandResult<BulkEditResult>> {
    // The edge comes from --remote; the token the way every edge command finds it.
    const target = await this.loadTarget({ 'edge-url': this.flags.remote });
    const edge = target.edge!;
    const userQuery = target.userName ? `?${new URLSearchParams({ userName: target.userName })}` : '';
    const request = { method: 'POST', url: `${edge.url}/bulk-jobs${userQuery}`, headers: { authorization: `Bearer ${edge.token ?? `<${ENV.edgeToken}>`}`, 'content-type': 'text/csv; charset=utf-8', 'idempotency-key': '<the SHA-256 of the account and the file>' } };
    if (this.flags['dry-run']) {
      const message = `dry run, nothing sent: ${input} would be submitted as one job to ${edge.url}, which validates every row before it starts`;
      const result: BulkEditResult = { input, report: reportPath, journal: null, dryRun: true, resumed: false, stopped: null, counts: {}, durationMs: 0, rowsPerSecond: 0, remote: edge.url };
      return { outcome: 'success', message, result, request: this.out.redact(request), exitCode: EXIT.success, lines: [message, formatRequest(request).replace(/^> ?/gm, '  ')] };
    }
    const [{ runRemoteBulk }, { edgeJobsClient }, { Progress }] = await Promise.all([import('../../bulk/run-remote.js'), import('../../jobs/edge-jobs.js'), import('../../bulk/progress.js')]);
    const client = await edgeJobsClient(edge, this.out, this.flags.timeout * 1000);
    const counts = { rows: 0, sent: 0, applied: 0, partial: 0, failed: 0, invalid: 0, skipped: 0, ambiguous: 0, notSent: 0, valid: 0 };
    const started = performance.now();
    const summary = await runRemoteBulk({
      input,
      client,
      edgeUrl: edge.url,
      userName: target.userName,
      out: this.out,
      counts,
      progress: new Progress(process.stderr, 1, counts, Boolean(process.stderr.isTTY) && !this.out.json),
      reportPath,
      reportFormat,
    });
    const seconds = (performance.now() - started) / 1000;
    const hint = remoteHintFor(summary.exitCode);
    return {
      outcome: summary.outcome,
      message: summary.message,
      result: {
        input,
        report: reportPath,
        journal: null,
        dryRun: false,
        resumed: summary.resumed,
        stopped: summary.stopped,
        counts,
        durationMs: Math.round(seconds * 1000),
        rowsPerSecond: seconds > 0 ? Math.round(counts.sent / seconds) : 0,
        remote: edge.url,
        job: { id: summary.job.id, edge: edge.url, state: summary.job.state, total: summary.job.total },
      },
      exitCode: summary.exitCode,
      lines: [summary.message, `report:  ${reportPath}`, `job:     ${summary.job.id} on ${edge.url}`],
      ...(hint ? { hint } : {}),
    };
  }
}
