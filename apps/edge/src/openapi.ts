import { NEXT_STEPS, OUTCOME_KINDS, existingPhoneNameSchema, operationSchemas, userNameSchema } from '@cloudagent-phone/core';
import * as z from 'zod/mini';
import packageJson from '../package.json';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from './audit/record.js';
import { bulkJobPaths, bulkJobRowSchemas, bulkJobSchemas } from './bulk-jobs/openapi.js';
import { PROBLEMS } from './problem.js';

/**
 * The request bodies, built from core's operation schemas (the same ones `validateOperation` runs),
 * so the published contract cannot drift from what is enforced. The path carries the existing
 * number on PATCH and DELETE; `action` comes from the method.
 */
export const requestBodies = {
  create: z.extend(z.omit(operationSchemas.create, { action: true }), { userName: userNameSchema }),
  edit: z.extend(z.omit(operationSchemas.edit, { action: true, phoneNumber: true }), { userName: userNameSchema }),
  delete: z.extend(z.omit(operationSchemas.delete, { action: true, phoneNumber: true }), { userName: userNameSchema }),
};

/** Fields that are skill lists: validateOperation also takes each as one comma-separated string. */
const SKILL_FIELDS = ['skill', 'assignSkill', 'unAssignSkill'];

type JsonSchema = Record<string, unknown>;

// Inputs are described as callers send them; the transforms behind them (trimming, splitting skills)
// have no JSON Schema form, so they are described by their input side, and the one input form a
// schema cannot express (skills as "A,B") is added here.
function jsonSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const properties = rest.properties as Record<string, JsonSchema> | undefined;
  for (const field of SKILL_FIELDS) {
    const list = properties?.[field];
    if (!list) continue;
    properties[field] = {
      description: 'Skill names: a list, or one comma-separated string ("Sales,Support"). Names are trimmed and de-duplicated.',
      anyOf: [list, { type: 'string', minLength: 1, pattern: '^[^,]+(,[^,]+)*$' }],
    };
  }
  return rest;
}

/** The headers the edge sends, each defined once in components.headers. */
const HEADER = {
  requestId: { $ref: '#/components/headers/X-Request-Id' },
  rateLimitLimit: { $ref: '#/components/headers/RateLimit-Limit' },
  rateLimitRemaining: { $ref: '#/components/headers/RateLimit-Remaining' },
  retryAfter: { $ref: '#/components/headers/Retry-After' },
  replayed: { $ref: '#/components/headers/Idempotent-Replayed' },
};

/** Headers on a response that passed the team token and the rate limiter (or was counted by it). */
const COUNTED = { 'RateLimit-Limit': HEADER.rateLimitLimit, 'RateLimit-Remaining': HEADER.rateLimitRemaining };

/** ...and that a mutation with an Idempotency-Key may have been answered with from the store. */
const REPLAYABLE = { ...COUNTED, 'Idempotent-Replayed': HEADER.replayed };

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function problemResponse(description: string, headers: Record<string, unknown> = {}): JsonSchema {
  return { description, headers: { 'X-Request-Id': HEADER.requestId, ...headers }, content: problemContent };
}

/**
 * Every problem answer, once. Each operation lists the ones it can give by reference; the
 * descriptions say which problem types (`urn:cloudagent-phone:problem:<slug>`) each status carries.
 */
function problemResponses(): Record<string, JsonSchema> {
  const slug = (kind: keyof typeof PROBLEMS) => `\`${PROBLEMS[kind].slug}\``;
  return {
    BadRequest: problemResponse(
      `${slug('invalidInput')}: the JSON, a field or the query is wrong; \`errors\` names every wrong field and its rule. Also a malformed \`Idempotency-Key\` (\`field: "Idempotency-Key"\`), or ${slug('idempotencyKeyMissing')}: none where the team requires one. Nothing was sent to CloudAgent.`,
      REPLAYABLE,
    ),
    Unauthorized: problemResponse(`${slug('unauthorized')}: no team token, or one the edge does not know.`, {
      'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' },
    }),
    Forbidden: problemResponse(`${slug('forbidden')}: the team is not granted the account named by \`userName\` (also when no such account exists).`, REPLAYABLE),
    NotFound: problemResponse(
      `${slug('phoneNumberNotFound')}: the number (or, looked up by name, the name) does not exist in the account (\`nameMismatch: true\`: the number does, but not with the name given). Or ${slug('notFound')}: no route for this method and path.`,
      REPLAYABLE,
    ),
    MethodNotAllowed: problemResponse(`${slug('methodNotAllowed')}: answered when this path is called with a method it does not take; \`Allow\` lists the ones it does. (On a phone-number path the team token is checked first.)`, {
      ...COUNTED,
      Allow: { $ref: '#/components/headers/Allow' },
    }),
    Conflict: problemResponse(
      `${slug('conflict')}: CloudAgent says the number or name already exists (\`outcome: conflict\`). Or ${slug('idempotencyKeyInFlight')}: the same \`Idempotency-Key\` is still being answered for an earlier request: retry after \`Retry-After\` seconds with the same key.`,
      { ...REPLAYABLE, 'Retry-After': HEADER.retryAfter },
    ),
    TooLarge: problemResponse(`${slug('tooLarge')}: the body is over 16 KB (checked before the token).`),
    UnsupportedMediaType: problemResponse(`${slug('unsupportedMedia')}: the body is not \`application/json\`.`, REPLAYABLE),
    Unprocessable: problemResponse(
      `${slug('rejected')}: CloudAgent refused the request (a value, the action, or the account's number limit; \`outcome\` says which). Or ${slug('idempotencyKeyReused')}: the \`Idempotency-Key\` was already used with a different method, path or body: use a new key for a new request.`,
      REPLAYABLE,
    ),
    TooManyRequests: problemResponse(`${slug('rateLimited')}: over the team's rate, or CloudAgent is rate-limiting the account (\`outcome: rate_limited\`). Retry after \`Retry-After\` seconds.`, {
      ...REPLAYABLE,
      'Retry-After': { required: true, description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
    }),
    BadGateway: problemResponse(
      `${slug('badGateway')}: CloudAgent refused the edge's credentials, failed, or gave an answer the edge does not recognise; \`nextStep\` says what to do. For a mutation that may have reached CloudAgent, \`outcome\` is \`unknown\` (\`applied: unknown\`): retry with the same \`Idempotency-Key\`, or look the number up. With \`nextStep: wait_and_retry\`, after \`Retry-After\` seconds.`,
      { ...REPLAYABLE, 'Retry-After': HEADER.retryAfter },
    ),
    Misconfigured: problemResponse(`${slug('misconfigured')}: the edge's own configuration is invalid; \`errors\` names each setting to fix (never its value).`),
    Timeout: problemResponse(
      `${slug('timeout')}: CloudAgent did not answer in time and the call was cancelled. For a mutation \`outcome\` is \`unknown\`: it may or may not have been applied; retry with the same \`Idempotency-Key\` (settled by a read-back, never sent twice), or look the number up.`,
      REPLAYABLE,
    ),
    Unexpected: problemResponse(`${slug('internal')} (500): something failed on the edge itself; quote the request id when reporting it.`),
  };
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

/**
 * Answers every route can give whatever it does. 405 is what the path answers to a method it does
 * not take: OpenAPI has no place for undocumented methods, so every operation on the path lists it.
 */
const ALWAYS = { '405': ref('MethodNotAllowed'), '503': ref('Misconfigured'), default: ref('Unexpected') };

/** Answers every phone-number route can give before it looks at what was asked. */
const GUARDED = { '401': ref('Unauthorized'), '429': ref('TooManyRequests'), ...ALWAYS };

const MUTATION_ERRORS = {
  '400': ref('BadRequest'),
  '403': ref('Forbidden'),
  '409': ref('Conflict'),
  '413': ref('TooLarge'),
  '415': ref('UnsupportedMediaType'),
  '422': ref('Unprocessable'),
  '502': ref('BadGateway'),
  '504': ref('Timeout'),
  ...GUARDED,
};

const NUMBER_STATE = { type: ['object', 'null'], required: ['phoneNumber', 'phoneName'], properties: { phoneNumber: { type: 'string' }, phoneName: { type: 'string' } } };

/** The truth every answer carries, whatever its status: core's outcome, next step and (mutations) whether it applied. */
const TRUTH = {
  outcome: { enum: [...OUTCOME_KINDS], description: "core's outcome kind: `unknown` whenever a mutation may or may not have been applied, whatever the HTTP status" },
  nextStep: { enum: [...NEXT_STEPS], description: "what the caller may do next (core's nextStep)" },
  applied: { enum: ['yes', 'no', 'unknown'], description: 'mutations only: whether the change took effect' },
};

/**
 * The OpenAPI 3.1 document. Built at build time (scripts/write-openapi.mjs writes
 * public/openapi.json, which the edge serves as a static file) because toJSONSchema would add about
 * 9 KB gzip to the Worker; openapi.test.ts fails if the committed file differs from what this builds.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const phoneNumberParam = {
    name: 'phoneNumber',
    in: 'path',
    required: true,
    description: 'The existing number, URL-encoded (a leading + as %2B)',
    schema: { type: 'string' },
  };
  const success = (description: string) => ({
    description,
    headers: { 'X-Request-Id': HEADER.requestId, ...COUNTED },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Success' } } },
  });
  /** What a lookup answers, by number or by name. */
  const lookupResponses = (found: string) => ({
    '200': success(found),
    '400': ref('BadRequest'),
    '403': ref('Forbidden'),
    '404': ref('NotFound'),
    '422': ref('Unprocessable'),
    '502': ref('BadGateway'),
    '504': ref('Timeout'),
    ...GUARDED,
  });
  const mutationSuccess = (description: string) => ({ ...success(description), headers: { 'X-Request-Id': HEADER.requestId, ...REPLAYABLE } });
  const json = (schema: z.ZodMiniType) => ({ required: true, content: { 'application/json': { schema: jsonSchema(schema) } } });
  const idempotencyKey = { $ref: '#/components/parameters/Idempotency-Key' };
  const publicGet = (operationId: string, summary: string, description: string, ok: JsonSchema, extra: Record<string, unknown> = {}) => ({
    get: { operationId, tags: ['service'], summary, description, security: [], responses: { '200': ok, ...extra, ...ALWAYS } },
  });
  const plainHeaders = { 'X-Request-Id': HEADER.requestId };

  return {
    openapi: '3.1.0',
    info: {
      title: 'cloudagent-phone edge',
      version: packageJson.version,
      description:
        'Create, edit, delete and look up Ozonetel CloudAgent phone numbers with a team token; the edge holds the CloudAgent credentials.\n\n' +
        'Errors are RFC 9457 problem details with a stable `type`. Every mutation takes an optional `Idempotency-Key`: repeat a request with the same key and body and it is answered once, never applied twice.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      { url: '/', description: 'The edge serving this document' },
      { url: 'http://127.0.0.1:8787', description: 'The edge on Node on this machine (`pnpm start`)' },
    ],
    tags: [
      { name: 'phone-numbers', description: 'Phone numbers in a CloudAgent account the team is granted (`userName`).' },
      { name: 'audit', description: "The team's record of its mutations through the edge." },
      { name: 'bulk-jobs', description: 'Many rows applied by the edge, exactly once each, at a rate taken from the team\'s budget (Node edge with `EDGE_DATA_DIR`; on Workers, the bulk-jobs Worker behind the edge).' },
      { name: 'service', description: 'Public routes: health, this document and its reference page.' },
    ],
    security: [{ teamToken: [] }],
    paths: {
      '/phone-numbers': {
        get: {
          operationId: 'getPhoneNumberByName',
          tags: ['phone-numbers'],
          summary: 'Look up a phone number by its name',
          description:
            "Finds the number that has this name: CloudAgent's v2 `get` with `phoneName` (names match without regard to case; the answer carries the name as CloudAgent keeps it). Answers as the lookup by number does. A lookup, not a list: CloudAgent has no list of numbers.",
          parameters: [
            { name: 'userName', in: 'query', required: true, description: 'The CloudAgent account to look in', schema: jsonSchema(userNameSchema) },
            { name: 'phoneName', in: 'query', required: true, description: 'The existing name, URL-encoded', schema: jsonSchema(existingPhoneNameSchema) },
          ],
          responses: lookupResponses('Found: the answer carries `phoneNumber` and `phoneName`'),
        },
        post: {
          operationId: 'createPhoneNumber',
          tags: ['phone-numbers'],
          summary: 'Create a phone number',
          description: 'Adds the number to the account. `partial_success` means the number was created without the skills (`warning` says why).',
          parameters: [idempotencyKey],
          requestBody: json(requestBodies.create),
          responses: { '200': mutationSuccess('Created, or `partial_success`: created without the skills'), ...MUTATION_ERRORS },
        },
      },
      '/phone-numbers/{phoneNumber}': {
        parameters: [phoneNumberParam],
        get: {
          operationId: 'getPhoneNumber',
          tags: ['phone-numbers'],
          summary: 'Look up a phone number',
          description:
            "Reads the number's name from CloudAgent: v2's `get`, a GET with a JSON body upstream, sent over node:http on Node and over HTTP/1.1 on `cloudflare:sockets` on Workers, so it works on both runtimes.",
          parameters: [{ name: 'userName', in: 'query', required: true, description: 'The CloudAgent account to look in', schema: jsonSchema(userNameSchema) }],
          responses: lookupResponses('Found: the answer carries `phoneNumber` and `phoneName`'),
        },
        patch: {
          operationId: 'editPhoneNumber',
          tags: ['phone-numbers'],
          summary: 'Edit a phone number',
          description: 'Renames it, changes the number, or assigns and unassigns skills. Without `phoneNumberNew` the number stays (a rename).',
          parameters: [idempotencyKey],
          requestBody: json(requestBodies.edit),
          responses: { '200': mutationSuccess('Edited, or `partial_success`: edited without the skills'), '404': ref('NotFound'), ...MUTATION_ERRORS },
        },
        delete: {
          operationId: 'deletePhoneNumber',
          tags: ['phone-numbers'],
          summary: 'Delete a phone number',
          description:
            'Removes the number from the account; `phoneName` must be its current name. The fields come in the JSON body, or, when no body is sent (many clients and proxies drop DELETE bodies), as `userName` and `phoneName` in the query string.',
          parameters: [
            idempotencyKey,
            { name: 'userName', in: 'query', required: false, description: 'When no body is sent', schema: jsonSchema(userNameSchema) },
            { name: 'phoneName', in: 'query', required: false, description: 'When no body is sent', schema: jsonSchema(existingPhoneNameSchema) },
          ],
          requestBody: { ...json(requestBodies.delete), required: false },
          responses: { '200': mutationSuccess('Deleted'), '404': ref('NotFound'), ...MUTATION_ERRORS },
        },
      },
      '/audit': {
        get: {
          operationId: 'listAudit',
          tags: ['audit'],
          summary: "The team's audit trail",
          description: "The calling team's own mutations through the edge, oldest first, kept 30 days. No credential is ever in it.",
          parameters: [
            { name: 'since', in: 'query', required: false, description: 'RFC 3339 date-time; default 30 days ago', schema: { type: 'string', format: 'date-time' } },
            { name: 'after', in: 'query', required: false, description: 'Only entries with a larger id (paging)', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', required: false, description: `Entries a page, 1 to ${AUDIT_PAGE_MAX}; default ${AUDIT_PAGE_DEFAULT}`, schema: { type: 'integer', minimum: 1, maximum: AUDIT_PAGE_MAX } },
          ],
          responses: {
            '200': { description: 'A page of the trail', headers: { 'X-Request-Id': HEADER.requestId, ...COUNTED }, content: { 'application/json': { schema: { $ref: '#/components/schemas/AuditPage' } } } },
            '400': ref('BadRequest'),
            ...GUARDED,
          },
        },
      },
      ...bulkJobPaths({ header: HEADER, counted: COUNTED, guarded: GUARDED }),
      '/healthz': publicGet(
        'health',
        'Health',
        'Whether the edge is configured and serving, and how many accounts and teams it knows.',
        { description: 'Configured and serving', headers: plainHeaders, content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
      ),
      '/openapi.json': publicGet('openapi', 'This document', 'The OpenAPI 3.1 document, generated from the schemas the edge validates with.', {
        description: 'The OpenAPI document',
        headers: plainHeaders,
        content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' } } } } },
      }),
      '/docs': publicGet('docs', 'API reference page', 'This document rendered as a browsable reference (Swagger UI, served by the edge itself, no CDN).', {
        description: 'The reference page',
        headers: plainHeaders,
        content: { 'text/html': { schema: { type: 'string' } } },
      }),
      '/docs/{file}': {
        parameters: [{ name: 'file', in: 'path', required: true, description: "A file of the reference page's renderer", schema: { type: 'string' } }],
        ...publicGet(
          'docsFile',
          "The reference page's files",
          "The renderer's script and style sheet, served with the page.",
          {
            description: 'The file',
            headers: plainHeaders,
            content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } },
          },
          { '404': ref('NotFound') },
        ),
      },
    },
    components: {
      securitySchemes: { teamToken: { type: 'http', scheme: 'bearer', description: "The team's token (stored on the edge only as a SHA-256 hash)" } },
      parameters: {
        'Idempotency-Key': {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            "Makes a retry safe (draft-ietf-httpapi-idempotency-key-header-07): 1 to 255 printable characters, a new one for each change (a UUID), as an sf-string (`\"...\"`) or bare. Scoped to the team and kept 24 hours with a fingerprint of the method, the path with its query, and the body. A repeat sends nothing to CloudAgent and answers the first status and body with `Idempotent-Replayed: true` (an `unknown` first answer is first settled by reading back); the same key with another request is 422 `idempotency-key-reused`; while the first is in flight 409 `idempotency-key-in-flight`. Required (400 `idempotency-key-missing`) for teams with `requireIdempotencyKey`.",
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E](?:[\\x20-\\x7E]*[\\x21-\\x7E])?$' },
        },
      },
      headers: {
        'X-Request-Id': {
          required: true,
          description: "The request's id: the caller's own `X-Request-Id` when it is 1 to 128 plain characters, else a fresh UUID. Quote it when reporting a problem.",
          schema: { type: 'string', minLength: 1, maxLength: 128 },
        },
        'RateLimit-Limit': { description: "The team's requests a minute", schema: { type: 'integer', minimum: 0 } },
        'RateLimit-Remaining': { description: 'Requests left in the current minute', schema: { type: 'integer', minimum: 0 } },
        'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
        'WWW-Authenticate': { required: true, description: 'The scheme to authenticate with: `Bearer`', schema: { type: 'string' } },
        Allow: { required: true, description: 'The methods this path takes', schema: { type: 'string' } },
        'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`', schema: { type: 'string', enum: ['true'] } },
      },
      responses: problemResponses(),
      schemas: {
        ...bulkJobSchemas(bulkJobRowSchemas.map(jsonSchema)),
        Success: {
          type: 'object',
          required: ['outcome', 'nextStep', 'message'],
          properties: {
            ...TRUTH,
            message: { type: 'string' },
            warning: { type: 'string', description: 'partial_success: what was not applied (the skills)' },
            field: { type: 'string', description: 'partial_success: the field that was not applied' },
            phoneNumber: { type: 'string' },
            phoneName: { type: 'string' },
            skills: { description: 'Lookup: the skills CloudAgent lists', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            requestId: { type: 'string' },
          },
        },
        AuditPage: {
          type: 'object',
          required: ['entries', 'next'],
          properties: {
            entries: {
              type: 'array',
              items: {
                type: 'object',
                required: ['id', 'time', 'team', 'userName', 'action', 'before', 'after', 'outcome', 'status', 'requestId'],
                properties: {
                  id: { type: 'integer', description: 'Increasing within the team; pass as `after` to page' },
                  time: { type: 'string', format: 'date-time' },
                  team: { type: 'string' },
                  userName: { type: 'string', description: 'The CloudAgent account acted on' },
                  action: { enum: ['create', 'edit', 'delete'] },
                  before: { ...NUMBER_STATE, description: 'null for a create' },
                  after: { ...NUMBER_STATE, description: 'What was asked for; null for a delete' },
                  outcome: { type: 'string', description: "Core's outcome kind as answered (`unknown`: may or may not have been applied)" },
                  status: { type: 'integer', description: 'The HTTP status the edge answered' },
                  requestId: { type: 'string' },
                  settles: { type: 'string', description: 'A replay that settled an earlier `unknown` answer by reading back: that request id' },
                },
              },
            },
            next: { type: ['string', 'null'], description: 'The path of the next page, or null' },
          },
        },
        Health: {
          type: 'object',
          required: ['status', 'accounts', 'teams'],
          properties: { status: { const: 'ok' }, accounts: { type: 'integer', minimum: 0 }, teams: { type: 'integer', minimum: 0 } },
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { enum: Object.values(PROBLEMS).map((p) => `urn:cloudagent-phone:problem:${p.slug}`), description: 'Stable: branch on this' },
            title: { type: 'string' },
            status: { type: 'integer', minimum: 400, maximum: 599 },
            detail: { type: 'string', description: 'What happened and what to do next' },
            ...TRUTH,
            nameMismatch: { type: 'boolean', description: 'phone-number-not-found: the number exists, but not with the name given' },
            field: { type: 'string', description: 'The field CloudAgent named, when it named one' },
            errors: {
              type: 'array',
              items: { type: 'object', required: ['field', 'rule', 'message'], properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}
