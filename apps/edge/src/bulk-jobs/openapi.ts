import { MAX_JOB_ROWS } from '@cloudagent-phone/bulk';
import { operationSchemas, userNameSchema } from '@cloudagent-phone/core';
import * as z from 'zod/mini';
import { BULK_BODY_LIMIT_BYTES, DEFAULT_JOB_RATE_PER_MINUTE } from './routes.js';

// The /bulk-jobs part of the OpenAPI document (built at build time with the rest, in ../openapi.ts;
// nothing here reaches the Worker). Kept beside the routes so the two change together.

type JsonSchema = Record<string, unknown>;

const optionalAccount = { userName: z.optional(userNameSchema) };

/**
 * One row of a job as NDJSON carries it (a CSV row has the same columns): core's operation schemas,
 * `action` optional (edit), `userName` optional when the job names it. The same rules
 * `validateJobRows` runs, so the document cannot promise a row the edge refuses.
 */
export const bulkJobRowSchemas = [
  z.extend(operationSchemas.edit, { action: z.optional(z.literal('edit')), ...optionalAccount }),
  z.extend(operationSchemas.create, optionalAccount),
  z.extend(operationSchemas.delete, optionalAccount),
];

const VERDICTS = ['applied', 'not_applied', 'unknown', 'cancelled'];

/** components.schemas for the jobs: the row (each of its forms as ../openapi.ts renders core's schemas), the job, a report line. */
export function bulkJobSchemas(rowForms: JsonSchema[]): Record<string, JsonSchema> {
  return {
    BulkJobRow: {
      anyOf: rowForms,
      description:
        'One row of a job: the `phone bulk-edit` columns, `action` (`edit` when absent, `create`, `delete`) and `userName` (else the job\'s `userName` parameter). Empty values are absent fields; skills may also be separated by `;`.',
    },
    BulkJob: {
      type: 'object',
      required: ['id', 'team', 'createdAt', 'state', 'total', 'finished', 'counts', 'rowsPerMinute', 'etaSeconds', 'ratePerMinute', 'cancelRequested', 'url', 'reportUrl'],
      properties: {
        id: { type: 'string', description: "The job's id" },
        team: { type: 'string', description: 'The team that submitted it (only that team sees it)' },
        createdAt: { type: 'string', format: 'date-time' },
        state: {
          enum: ['queued', 'running', 'paused', 'done', 'cancelled', 'failed'],
          description:
            '`queued` (accepted, or stopped with the edge and resumed when it starts), `running`, `paused` (CloudAgent answered 429: the job waits its `Retry-After`), `done` (every row has an outcome), `cancelled`, `failed` (`error` says why; the rows without an outcome were not sent)',
        },
        total: { type: 'integer', minimum: 1, maximum: MAX_JOB_ROWS, description: 'Rows in the job' },
        finished: { type: 'integer', minimum: 0, description: 'Rows with an outcome' },
        counts: {
          type: 'object',
          required: ['applied', 'notApplied', 'unknown', 'cancelled'],
          description: 'Finished rows by verdict (`unknown`: may have applied and could not be read back; never sent again)',
          properties: Object.fromEntries(['applied', 'notApplied', 'unknown', 'cancelled'].map((k) => [k, { type: 'integer', minimum: 0 }])),
        },
        rowsPerMinute: { type: 'integer', minimum: 0, description: 'Rows finished a minute since the job (re)started running' },
        etaSeconds: { type: ['integer', 'null'], minimum: 0, description: 'Seconds until the last row at that pace; null before the pace is known and once ended' },
        ratePerMinute: { type: 'integer', minimum: 1, description: "The job's own rate: the `ratePerMinute` it was submitted with, else `BULK_JOB_RATE_PER_MINUTE` (default 30), at most half the team's rate" },
        concurrency: { type: 'integer', minimum: 1, maximum: 16, description: 'Rows in flight at once (default 4)' },
        resumesAt: { type: 'string', format: 'date-time', description: 'State `paused`: when sending resumes (the `Retry-After` CloudAgent gave)' },
        cancelRequested: { type: 'boolean' },
        error: { type: 'string', description: 'Why the job failed' },
        url: { type: 'string', description: "This job's path: `/bulk-jobs/{id}`" },
        reportUrl: { type: 'string', description: "Its report's path: `/bulk-jobs/{id}/report`" },
      },
    },
    BulkJobReportLine: {
      type: 'object',
      required: ['row', 'userName', 'action', 'phoneNumber', 'outcome', 'verdict', 'message', 'requestId', 'attempts'],
      properties: {
        row: { type: 'integer', minimum: 1, description: 'The row number in the input, from 1' },
        userName: { type: 'string' },
        action: { enum: ['create', 'edit', 'delete'] },
        phoneNumber: { type: 'string' },
        outcome: { type: 'string', description: "Core's outcome kind, `already_applied` (an earlier run of the job), `not_sent` (cancelled), or `pending`" },
        verdict: { enum: [...VERDICTS, 'pending'], description: '`pending` until the row has an outcome' },
        message: { type: 'string' },
        requestId: { type: 'string', description: "CloudAgent's answer's request id, when there was one" },
        attempts: { type: 'integer', minimum: 0 },
      },
    },
  };
}

interface Parts {
  header: { requestId: JsonSchema; retryAfter: JsonSchema };
  /** The RateLimit-* headers of an answer the team's limiter counted. */
  counted: Record<string, JsonSchema>;
  /** 401, 429 and `always`. */
  guarded: Record<string, JsonSchema>;
}

const REPORT_COLUMNS = '`row,userName,action,phoneNumber,outcome,verdict,message,requestId,attempts`';

/** paths['/bulk-jobs...']: submit, status, report, cancel. */
export function bulkJobPaths({ header, counted, guarded }: Parts): Record<string, JsonSchema> {
  const problem = (description: string) => ({
    description,
    headers: { 'X-Request-Id': header.requestId, ...counted },
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  const job = (description: string, extra: Record<string, JsonSchema> = {}) => ({
    description,
    headers: { 'X-Request-Id': header.requestId, ...counted, ...extra },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/BulkJob' } } },
  });
  const location = { Location: { required: true, description: "The job's path, `/bulk-jobs/{id}`", schema: { type: 'string' } } };
  const idParam = { name: 'id', in: 'path', required: true, description: "The job's id, as `POST /bulk-jobs` answered it", schema: { type: 'string' } };
  const notFound = problem('`not-found`: no job with this id for this team (another team\'s job is not found either).');
  const rowsAsNdjson = 'One `BulkJobRow` as JSON a line (OpenAPI 3.1 has no way to say "each line"; 3.2 calls it `itemSchema`).';

  return {
    '/bulk-jobs': {
      post: {
        operationId: 'createBulkJob',
        tags: ['bulk-jobs'],
        summary: 'Submit a bulk job',
        description:
          `Stores the rows and starts applying them, exactly once each: a row's request leaves only once the job's journal holds it, and a row whose answer was lost is read back, never sent again. Up to ${MAX_JOB_ROWS.toLocaleString('en')} rows and ${BULK_BODY_LIMIT_BYTES / 1024 / 1024} MB. ` +
          'Every row is validated first: one bad row and nothing is stored or sent (400 naming each row and field, `rows[12].phoneNumberNew`). ' +
          `The job runs at its own rate (default ${DEFAULT_JOB_RATE_PER_MINUTE} rows a minute, at most half the team's), whatever the client does.`,
        parameters: [
          { name: 'userName', in: 'query', required: false, description: 'The account for rows that name none', schema: { type: 'string', minLength: 1 } },
          {
            name: 'ratePerMinute',
            in: 'query',
            required: false,
            description: "The job's own rate, requests a minute (default `BULK_JOB_RATE_PER_MINUTE`, else 30), capped at half the team's rate. Every request of the job is also booked in the team's rate limiter under half its limit, so jobs never take more than half and interactive calls keep the rest.",
            schema: { type: 'integer', minimum: 1, maximum: 100_000 },
          },
          { name: 'concurrency', in: 'query', required: false, description: 'Rows in flight at once (default 4)', schema: { type: 'integer', minimum: 1, maximum: 16 } },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Stored with the job itself (not in the 24-hour key store): the same key from the same team answers 200 with the job it made, also after a restart of the edge, and the body is not read again. 1 to 255 visible ASCII characters.',
            schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
          },
        ],
        requestBody: {
          required: true,
          description: `The rows, as NDJSON or as CSV with a header row (the \`BulkJobRow\` fields as columns).`,
          content: {
            'application/x-ndjson': { schema: { description: rowsAsNdjson, $ref: '#/components/schemas/BulkJobRow' } },
            'text/csv': { schema: { type: 'string', description: 'A header row, then one row a line' } },
          },
        },
        responses: {
          '200': job('The `Idempotency-Key` was used before by this team: the job it made (nothing new is stored or sent)', location),
          '202': job('Accepted: the job, its `url` and `reportUrl`', location),
          '400': problem('`invalid-input`: rows that are not valid (`errors` names each row and field, the first 100; `badRows` counts them all), a CSV that cannot be read, no rows, too many rows, or a malformed `Idempotency-Key`. Nothing was stored or sent.'),
          '403': problem("`forbidden`: a row names an account the team is not granted (or that does not exist). Nothing was stored or sent."),
          '413': problem(`\`body-too-large\`: over ${BULK_BODY_LIMIT_BYTES / 1024 / 1024} MB: split the job.`),
          '415': problem('`unsupported-media-type`: the body is neither `application/x-ndjson` nor `text/csv`.'),
          ...guarded,
        },
      },
    },
    '/bulk-jobs/{id}': {
      parameters: [idParam],
      get: {
        operationId: 'getBulkJob',
        tags: ['bulk-jobs'],
        summary: "A bulk job's state",
        description: 'State, counts by verdict, rows a minute and an estimate of the time left.',
        responses: { '200': job('The job'), '404': notFound, ...guarded },
      },
      delete: {
        operationId: 'cancelBulkJob',
        tags: ['bulk-jobs'],
        summary: 'Cancel a bulk job',
        description: 'No new row is sent; rows in flight settle (their outcome is recorded). The rows not sent are reported `not_sent` with verdict `cancelled`. Cancelling an ended job changes nothing.',
        responses: { '202': job('Cancelling (or already ended): the job as it is now'), '404': notFound, ...guarded },
      },
    },
    '/bulk-jobs/{id}/report': {
      parameters: [idParam],
      get: {
        operationId: 'getBulkJobReport',
        tags: ['bulk-jobs'],
        summary: "A bulk job's report",
        description: `One line per row, in input order, streamed: CSV (${REPORT_COLUMNS}) by default, NDJSON (one \`BulkJobReportLine\` a line) with \`Accept: application/x-ndjson\`. Rows not finished yet are \`pending\`. CSV cells that a spreadsheet would run as a formula are prefixed with \`'\`.`,
        responses: {
          '200': {
            description: 'The report',
            headers: { 'X-Request-Id': header.requestId, ...counted },
            content: {
              'text/csv': { schema: { type: 'string', description: `A header row (${REPORT_COLUMNS}), then one line per row` } },
              'application/x-ndjson': { schema: { description: 'One `BulkJobReportLine` as JSON a line.', $ref: '#/components/schemas/BulkJobReportLine' } },
            },
          },
          '404': notFound,
          ...guarded,
        },
      },
    },
  };
}
