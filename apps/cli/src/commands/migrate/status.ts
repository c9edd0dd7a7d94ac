import { baseUrlRule, checkBaseUrl, checkConfig } from '@cloudagent-phone/core';
import { Flags } from '@oclif/core';
import { CaphoneCommand, type CommandResult } from '../../base-command.js';
import { CliError, usageError } from '../../cli-error.js';
import { EXIT, STATUS_EXIT_CODES } from '../../exit-codes.js';
import { ReportShapeError, formatStatus, parseStatusReport, statusResult } from '../../migrate/shim-status.js';
import { readFirstLine } from '../../read-stdin.js';

/** The variable holding the shim's admin token: the same name the shim itself reads. */
export const SHIM_TOKEN_ENV = 'SHIM_ADMIN_TOKEN';

/** What `migrate status` reports: the shim's readiness per account. */
export type MigrationStatusResult = ReturnType<typeof statusResult>;

export default class MigrateStatus extends CaphoneCommand<typeof MigrateStatus, MigrationStatusResult> {
  static summary = 'Show which accounts still call v1 through the shim, and which are ready to cut over.';

  static description =
    "Reads the v1 shim's migration report (GET /_shim/metrics, counted across every process and isolate, " +
      'kept 35 days) and prints one row per account: its verdict (ready, not-ready; silent accounts apart), ' +
      'the last call answered by v1, calls, v1 calls and mismatches in the readiness window, the quirks the shim ' +
      'rescued, and a sparkline of its calls per day over the last 14 days.\n\n' +
      `The admin token comes from ${SHIM_TOKEN_ENV} or the first line of stdin with --admin-token-stdin; it is never a flag.\n\n` +
      `Exits 0 when every account is ready to cut over (silent accounts are not), ${EXIT.v1Findings} when one is not. Under --json the table's data is in "result".`;

  static exitCodes = STATUS_EXIT_CODES;

  static examples = [
    `${SHIM_TOKEN_ENV}=... <%= config.bin %> migrate status --shim https://shim.example.com`,
    'pass show shim/admin | <%= config.bin %> migrate status --shim http://127.0.0.1:8788 --admin-token-stdin --json',
  ];

  static flags = {
    shim: Flags.string({ description: 'The shim\'s base URL (where /_shim/metrics is served).', required: true }),
    'admin-token-stdin': Flags.boolean({ description: `Read the shim's admin token from the first line of stdin (default: ${SHIM_TOKEN_ENV}).` }),
    timeout: Flags.integer({ description: 'Seconds to wait for the shim.', default: 30, min: 1, max: 600 }),
  };

  protected async execute(): Promise<CommandResult<MigrationStatusResult>> {
    const base = this.shimUrl(this.flags.shim);
    const token = this.flags['admin-token-stdin'] ? await readFirstLine(process.stdin) : process.env[SHIM_TOKEN_ENV]?.trim();
    if (!token) {
      throw usageError(
        this.flags['admin-token-stdin'] ? '--admin-token-stdin was given but stdin had no token' : `no admin token: set ${SHIM_TOKEN_ENV} or pipe it with --admin-token-stdin`,
        "use the shim's own SHIM_ADMIN_TOKEN value",
      );
    }
    this.out.addSecret(token);

    const url = new URL('_shim/metrics', base.href.endsWith('/') ? base.href : `${base.href}/`);
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(this.flags.timeout * 1000) });
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.name) : String(error);
      throw new CliError(`could not reach the shim at ${base.origin} (${reason})`, { exitCode: EXIT.transient, kind: 'server_error', hint: 'check --shim and that the shim is running; this only reads, so it is safe to try again' });
    }
    const body = await response.text();
    this.out.detail(`GET ${url.href} -> HTTP ${response.status}, ${body.length} bytes`);
    if (response.status === 401) throw new CliError('the shim refused the admin token', { exitCode: EXIT.authRejected, kind: 'auth_error', hint: `set ${SHIM_TOKEN_ENV} to the shim's SHIM_ADMIN_TOKEN` });
    if (response.status === 404) throw new CliError(`${url.pathname} is not there (HTTP 404)`, { exitCode: EXIT.rejected, kind: 'unknown', hint: 'is --shim the v1 shim, and is SHIM_ADMIN_TOKEN set on it? Without one its admin routes answer 404' });
    if (!response.ok) throw new CliError(`the shim answered HTTP ${response.status}`, { exitCode: EXIT.transient, kind: 'server_error', hint: 'try again; if it persists, look at the shim\'s logs' });

    let report;
    try {
      report = parseStatusReport(JSON.parse(body));
    } catch (error) {
      const why = error instanceof ReportShapeError ? error.message : 'the answer is not JSON';
      throw new CliError(`the shim's answer is not a migration report: ${why}`, { exitCode: EXIT.rejected, kind: 'unknown', hint: 'update the shim: migrate status needs the report of @cloudagent-phone/shim with durable counts' });
    }

    const result = statusResult(report, base.origin);
    const { ready, notReady, silent } = report.readiness;
    const total = ready + notReady + silent;
    const lines = formatStatus(report);
    if (report.readiness.allReady) {
      return { outcome: 'success', message: `all ${total} account(s) ready to cut over`, result, exitCode: EXIT.success, lines };
    }
    return {
      outcome: 'validation_error',
      message: total === 0 ? 'no account has called the shim in the kept window' : `${notReady + silent} of ${total} account(s) not ready to cut over (${notReady} not ready, ${silent} silent)`,
      result,
      exitCode: EXIT.v1Findings,
      lines,
      hint: 'an account is ready after the readiness window passes with calls, none answered by v1 and no mismatch; move it with SHIM_ACCOUNT_MODES or SHIM_ROLLOUT_PERCENT',
    };
  }

  /** Core's one base-URL rule, as for CloudAgent and an edge: https, plain http only to this machine. */
  private shimUrl(value: string): URL {
    const issues = checkConfig({ '--shim': value }, { '--shim': baseUrlRule({}, 'https://shim.example.com') });
    if (issues.length > 0) {
      throw usageError(issues.map((issue) => issue.message).join('; '), 'give the shim\'s base URL, e.g. https://shim.example.com (the token goes in SHIM_ADMIN_TOKEN)');
    }
    const checked = checkBaseUrl(value.trim());
    return new URL(checked.ok ? checked.url : value.trim());
  }
}
