import type { BulkJob, EdgeClient, EdgeResult } from '@cloudagent-phone/edge-client';
import { CliError, usageError } from '../cli-error.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { ENV, type EdgeTarget } from '../settings/resolve-target.js';

/**
 * Bulk jobs on an edge, for `phone bulk-edit --remote` and `caphone jobs`: the typed client, and
 * every way a call can fail turned into one CliError with its exit code and next step.
 */

const PROBLEM = 'urn:cloudagent-phone:problem:';
const TOKEN_HINT = `set ${ENV.edgeToken} to your team's token, or save it in a profile: caphone config set --edge-token-stdin`;

/** What the call was, for the messages: the edge, and the job when there is one. */
export interface JobCallContext {
  edgeUrl: string;
  jobId?: string;
  /** A submission may have reached the edge when unanswered; a read or a cancel changes nothing twice. */
  submitting?: boolean;
}

/** The client for the team on this edge; the token is a secret of this run from here on. */
export async function edgeJobsClient(edge: EdgeTarget, out: Output, timeoutMs: number): Promise<EdgeClient> {
  if (!edge.token) throw usageError(`no team token for ${edge.url}: ${TOKEN_HINT}`, "the edge's operator gives each team its token");
  out.addSecret(edge.token);
  const { createEdgeClient } = await import('@cloudagent-phone/edge-client');
  return createEdgeClient({
    baseUrl: edge.url,
    token: edge.token,
    timeoutMs,
    fetch: async (url, init) => {
      out.detail(`> ${init.method} ${url}`);
      const response = await fetch(url, init);
      out.detail(`< ${response.status} x-request-id: ${response.headers.get('x-request-id') ?? '-'}`);
      return response;
    },
  });
}

/** The error for an answer that is not a success: what happened, and what to do about it. */
export function jobProblemError(result: Extract<EdgeResult<unknown>, { ok: false }>, context: JobCallContext): CliError {
  const { problem } = result;
  const slug = problem.type.startsWith(PROBLEM) ? problem.type.slice(PROBLEM.length) : '';
  const detail = problem.detail;
  const rows = 'errors' in problem && Array.isArray(problem.errors) ? problem.errors : [];
  switch (slug) {
    case 'unauthorized':
      return new CliError(`the edge at ${context.edgeUrl} refused the team token (${detail})`, { exitCode: EXIT.authRejected, kind: 'auth_error', hint: TOKEN_HINT });
    case 'forbidden':
      return new CliError(detail, { exitCode: EXIT.authRejected, kind: 'auth_error', hint: "ask the edge's operator to grant your team the account, or use an account it is granted (--user)" });
    case 'not-found':
      return new CliError(
        context.jobId ? `no bulk job ${context.jobId} for your team on ${context.edgeUrl}` : `${context.edgeUrl} has no bulk jobs (${detail})`,
        {
          exitCode: EXIT.notFound,
          kind: 'not_found',
          hint: context.jobId
            ? 'check the id (phone bulk-edit --remote prints it), and that this is the edge and the team token that submitted it'
            : 'the edge serves bulk jobs only on Node with EDGE_DATA_DIR set: ask its operator',
        },
      );
    case 'invalid-input': {
      const listed = rows.slice(0, 10).map((e) => e.message);
      const more = rows.length > listed.length ? `; and ${rows.length - listed.length} more` : '';
      return new CliError(`${detail}${listed.length ? `: ${listed.join('; ')}${more}` : ''}`, {
        exitCode: EXIT.invalidInput,
        kind: 'validation_error',
        hint: 'fix the rows named and run the same command again; nothing was sent',
        issues: rows.map((e) => ({ field: e.field, flag: e.field, rule: e.rule, message: e.message })),
      });
    }
    case 'body-too-large':
      return new CliError(detail, { exitCode: EXIT.invalidInput, kind: 'validation_error', hint: 'split the file into several jobs; nothing was sent' });
    case 'rate-limited': {
      const wait = result.retryAfterMs !== undefined ? ` after ${Math.ceil(result.retryAfterMs / 1000)} s` : '';
      return new CliError(`the edge is rate-limiting your team (${detail})`, { exitCode: EXIT.transient, kind: 'rate_limited', hint: `run the same command again${wait}` });
    }
    default:
      return new CliError(`the edge answered HTTP ${result.status}: ${detail}${result.requestId ? ` (request ${result.requestId})` : ''}`, {
        exitCode: context.submitting ? EXIT.outcomeUnknown : EXIT.transient,
        kind: context.submitting ? 'unknown' : 'server_error',
        hint: context.submitting
          ? 'run the same command again: the same file follows the job it may have started (never a second one)'
          : "try again; if it persists, quote the request id to the edge's operator",
      });
  }
}

/**
 * One call to the edge: its data, or a CliError. An edge that cannot be reached (after the
 * client's own retries) is exit 7: reading or cancelling again is safe, and a submission is
 * repeated under the same Idempotency-Key, so it never starts a second job.
 */
export async function callEdge<T>(context: JobCallContext, call: () => Promise<EdgeResult<T>>): Promise<T> {
  return (await answerOf(context, call)).data;
}

/** callEdge, with the answer's status beside its data (a submission's 200 says the job existed already). */
export async function answerOf<T>(context: JobCallContext, call: () => Promise<EdgeResult<T>>): Promise<{ data: T; status: number }> {
  let result: EdgeResult<T>;
  try {
    result = await call();
  } catch (error) {
    if ((error as Error).name !== 'EdgeConnectionError') throw error;
    const why = /within \d+ ms/.test((error as Error).message) ? 'did not answer in time' : 'could not be reached';
    throw new CliError(`the edge at ${context.edgeUrl} ${why}`, {
      exitCode: EXIT.transient,
      kind: 'server_error',
      hint: context.submitting
        ? `check --remote and that the edge is running, then run the same command again: it submits under the same Idempotency-Key, so it follows the job if one was started`
        : `check the edge URL (--edge-url, ${ENV.edgeUrl} or the profile) and that the edge is running; the job itself runs on the edge${context.jobId ? `: caphone jobs status ${context.jobId}` : ''}`,
    });
  }
  if (!result.ok) throw jobProblemError(result, context);
  return { data: result.data, status: result.status };
}

export const ENDED_STATES: ReadonlySet<string> = new Set(['done', 'cancelled', 'failed']);

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A job as the person reads it: one line of state, one of counts, one of pace. */
export function jobLines(job: BulkJob): string[] {
  const c = job.counts;
  const pace = ENDED_STATES.has(job.state)
    ? `job rate ${job.ratePerMinute} rows/min`
    : `${job.rowsPerMinute} rows/min (job rate ${job.ratePerMinute}/min)${job.etaSeconds !== null ? `, about ${duration(job.etaSeconds)} left` : ''}`;
  return [
    `job ${job.id}: ${job.state}${job.cancelRequested && job.state !== 'cancelled' ? ' (cancel requested)' : ''}, ${job.finished} of ${job.total} rows finished`,
    `  ${c.applied} applied, ${c.notApplied} not applied, ${c.unknown} outcome unknown, ${c.cancelled} cancelled`,
    `  ${pace}`,
    ...(job.error ? [`  failed: ${job.error}`] : []),
  ];
}
