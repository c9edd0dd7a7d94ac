import { DEFAULT_JOB_RATE_PER_MINUTE, jobPaceFrom, validateJobRows, type JobInputIssue } from '@cloudagent-phone/bulk';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from '../router.js';
import { bodyLimit } from 'hono/body-limit';
import type { EdgeConfig, TeamConfig } from '../config.js';
import { problem, problemResponse, ProblemError, type FieldError } from '../problem.js';
import type { BulkJobReportLine, BulkJobs, BulkJobStatus } from './jobs.js';

/** A job's body: up to 100,000 rows (every other route keeps 16 KB). */
export const BULK_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
/** A job's rate when the operator sets none (BULK_JOB_RATE_PER_MINUTE): CloudAgent's sibling APIs allow 5 to 10 a minute per endpoint. */
export { DEFAULT_JOB_RATE_PER_MINUTE };

export interface BulkJobRoutesOptions {
  config: EdgeConfig;
  jobs: BulkJobs;
  /** The team-token check every team route uses; sets `team`. */
  teamAuth: MiddlewareHandler;
  /** CSV text → records by header (Node: csv-parse). Absent: CSV bodies are refused with 415. */
  parseCsv?: (text: string) => Record<string, string>[];
  /** Rows a minute for a job that asks for none (`?ratePerMinute=`), before the team's cap. Default DEFAULT_JOB_RATE_PER_MINUTE. */
  ratePerMinute?: number;
}

const NDJSON = /^application\/(?:x-ndjson|jsonl|x-jsonlines|json-seq)\s*(?:;|$)/i;
const CSV = /^text\/csv\s*(?:;|$)/i;

function rowErrors(issues: JobInputIssue[]): FieldError[] {
  return issues.map((i) => ({ field: i.row > 0 ? `rows[${i.row}].${i.field}` : i.field, rule: i.rule, message: i.message }));
}

function ndjsonRecords(text: string): { records: Record<string, unknown>[]; issues: JobInputIssue[] } {
  const records: Record<string, unknown>[] = [];
  const issues: JobInputIssue[] = [];
  let row = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    row += 1;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      issues.push({ row, field: 'row', rule: 'json', message: `row ${row} is not valid JSON: one JSON object a line` });
      records.push({});
    }
  }
  return { records, issues };
}

/** The view of a job a caller gets: its URL beside its status. */
function jobBody(status: BulkJobStatus) {
  return { ...status, url: `/bulk-jobs/${status.id}`, reportUrl: `/bulk-jobs/${status.id}/report` };
}

const REPORT_COLUMNS = ['row', 'userName', 'action', 'phoneNumber', 'outcome', 'verdict', 'message', 'requestId', 'attempts'] as const;

function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The bulk-job routes (issue 14), mounted at /bulk-jobs. Runtime-neutral; the runner is `jobs`. */
export function bulkJobRoutes(options: BulkJobRoutesOptions): Hono<{ Variables: { team?: TeamConfig; requestId: string } }> {
  const { config, jobs } = options;
  const routes = new Hono<{ Variables: { team?: TeamConfig; requestId: string } }>();
  routes.use(
    bodyLimit({
      maxSize: BULK_BODY_LIMIT_BYTES,
      onError: (c) => problemResponse(c, problem('tooLarge', `the body is over ${BULK_BODY_LIMIT_BYTES / 1024 / 1024} MB: split the job (at most 100,000 rows)`)),
    }),
  );
  routes.use(options.teamAuth);

  routes.post('/', async (c) => {
    const team = c.get('team')!;
    // The job's rate comes out of the team's budget: at most half, so interactive calls keep the rest.
    const pace = jobPaceFrom({ ratePerMinute: c.req.query('ratePerMinute'), concurrency: c.req.query('concurrency') }, team.rateLimitPerMinute, options.ratePerMinute);
    if (!pace.ok) throw new ProblemError(problem('invalidInput', `${pace.issues.map((i) => i.message).join('; ')}; nothing was sent`, { errors: pace.issues }));
    const type = c.req.header('content-type') ?? '';
    // Decoded here: workerd warns on text() of a body whose type is not text/*.
    const text = new TextDecoder().decode(await c.req.arrayBuffer());
    let records: Record<string, unknown>[];
    let parseIssues: JobInputIssue[] = [];
    if (NDJSON.test(type)) ({ records, issues: parseIssues } = ndjsonRecords(text));
    else if (CSV.test(type) && options.parseCsv) {
      try {
        records = options.parseCsv(text);
      } catch (error) {
        throw new ProblemError(problem('invalidInput', `the CSV cannot be read: ${(error as Error).message}`, { errors: [{ field: 'body', rule: 'csv', message: (error as Error).message }] }));
      }
    } else {
      throw new ProblemError(problem('unsupportedMedia', `send the rows as NDJSON (Content-Type: application/x-ndjson)${options.parseCsv ? ' or CSV (Content-Type: text/csv)' : ''}`));
    }
    const userName = c.req.query('userName');
    const input = validateJobRows(records, userName ? { userName } : {});
    // A line that is not JSON is named once, as such, not again for every field it lacks.
    const unreadable = new Set(parseIssues.map((i) => i.row));
    const issues = [...parseIssues, ...(input.ok ? [] : input.issues.filter((i) => !unreadable.has(i.row)))].sort((a, b) => a.row - b.row);
    if (!input.ok || issues.length > 0) {
      const badRows = input.ok ? parseIssues.length : Math.max(input.badRows, parseIssues.length);
      throw new ProblemError(problem('invalidInput', `${badRows} row(s) are invalid; nothing was sent: fix them and send the job again`, { errors: rowErrors(issues), badRows }));
    }
    const refused = input.userNames.filter((name) => !team.userNames.includes(name) || !config.accounts.has(name));
    if (refused.length > 0) {
      throw new ProblemError(problem('forbidden', `team "${team.name}" is not granted the account(s) ${refused.map((n) => `"${n}"`).join(', ')}; ask the edge's operator to add them to the team in TEAMS`));
    }
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw new ProblemError(problem('invalidInput', 'Idempotency-Key must be 1 to 255 visible ASCII characters', { errors: [{ field: 'Idempotency-Key', rule: 'idempotency-key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' }] }));
    }
    const { status, created } = await jobs.create(team.name, input.rows, { ...pace.pace, teamRateLimitPerMinute: team.rateLimitPerMinute, ...(idempotencyKey ? { idempotencyKey } : {}) });
    c.header('location', `/bulk-jobs/${status.id}`);
    return c.json(jobBody(status), created ? 202 : 200);
  });

  const found = <T>(value: T | undefined, id: string): T => {
    if (value === undefined) throw new ProblemError(problem('notFound', `no bulk job ${id} for this team`));
    return value;
  };

  routes.get('/:id', async (c) => c.json(jobBody(found(await jobs.status(c.get('team')!.name, c.req.param('id')), c.req.param('id')))));

  routes.get('/:id/report', async (c) => {
    const id = c.req.param('id');
    const lines = found(await jobs.report(c.get('team')!.name, id), id);
    const ndjson = /application\/(?:x-ndjson|jsonl)/i.test(c.req.header('accept') ?? '');
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        if (!ndjson) controller.enqueue(encoder.encode(`${REPORT_COLUMNS.join(',')}\n`));
        let chunk = '';
        for await (const line of lines) {
          chunk += ndjson ? `${JSON.stringify(line)}\n` : `${REPORT_COLUMNS.map((k) => csvCell((line as BulkJobReportLine)[k])).join(',')}\n`;
          if (chunk.length >= 64 * 1024) {
            controller.enqueue(encoder.encode(chunk));
            chunk = '';
          }
        }
        if (chunk) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    return c.body(body, 200, { 'content-type': ndjson ? 'application/x-ndjson' : 'text/csv; charset=utf-8' });
  });

  routes.delete('/:id', async (c) => c.json(jobBody(found(await jobs.cancel(c.get('team')!.name, c.req.param('id')), c.req.param('id'))), 202));

  // A method a job path does not take is 405 with the ones it does (after the token), as on every other path.
  const notAllowed = (allow: string) => (c: Context) => problemResponse(c, problem('methodNotAllowed', `${c.req.method} is not supported here; use ${allow.split(', ').join(' or ')}`), { allow });
  routes.all('/', notAllowed('POST'));
  routes.all('/:id', notAllowed('GET, DELETE'));
  routes.all('/:id/report', notAllowed('GET'));

  return routes;
}
