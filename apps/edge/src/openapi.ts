import { NEXT_STEPS, OUTCOME_KINDS, existingPhoneNameSchema, operationSchemas, userNameSchema } from '@cloudagent-phone/core';
import * as z from 'zod/mini';
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

// Inputs are described as callers send them; the transforms behind them (trimming, splitting skills)
// have no JSON Schema form, so they are described by their input side.
function jsonSchema(schema: z.ZodMiniType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const TRUTH = {
  outcome: { enum: [...OUTCOME_KINDS], description: "core's outcome kind: `unknown` whenever a mutation may or may not have been applied, whatever the HTTP status" },
  nextStep: { enum: [...NEXT_STEPS], description: 'what the caller may do next (core\'s nextStep)' },
  applied: { enum: ['yes', 'no', 'unknown'], description: 'mutations only: whether the change took effect' },
};

// The status names the answer beside its caller's key; the description is what the document shows.
function problemRef(_status: number, description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function errorResponses(statuses: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of Object.values(PROBLEMS)) if (statuses.includes(p.status)) out[String(p.status)] = problemRef(p.status, p.title);
  out['429'] = { ...problemRef(429, PROBLEMS.rateLimited.title), headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } };
  return out;
}

const MUTATION_ERRORS = [400, 401, 403, 409, 413, 415, 422, 429, 502, 504];
/** On edit, delete and lookup: the number (or, with nameMismatch, its name) does not exist. */
const NOT_FOUND_RESPONSE = { '404': problemRef(404, `${PROBLEMS.phoneNumberNotFound.title} (type urn:cloudagent-phone:problem:${PROBLEMS.phoneNumberNotFound.slug}; nameMismatch: the name given is not the number's)`) };

/**
 * The OpenAPI 3.1 document. Built at build time (scripts/write-openapi.mjs writes
 * src/openapi.generated.json, which the app serves) because toJSONSchema would add about 9 KB gzip
 * to the Worker; openapi.test.ts fails if the committed file differs from what this builds.
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
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Success' } } },
  });
  const json = (schema: z.ZodMiniType) => ({ required: true, content: { 'application/json': { schema: jsonSchema(schema) } } });
  const doc = {
    openapi: '3.1.0',
    info: {
      title: 'cloudagent-phone edge',
      version: '0.1.0',
      description:
        'Create, edit, delete and look up Ozonetel CloudAgent phone numbers with a team token; the edge holds the CloudAgent credentials. A mutation whose outcome is ambiguous (a dropped connection, a 5xx, a gateway page) is read back with a lookup before the answer, on Node and on Cloudflare Workers alike: `applied` says yes or no whenever the lookup can tell, and `unknown` only when it cannot.',
    },
    components: {
      securitySchemes: { teamToken: { type: 'http', scheme: 'bearer', description: "The team's token (stored on the edge only as a SHA-256 hash)" } },
      schemas: {
        Success: {
          type: 'object',
          required: ['outcome', 'nextStep', 'message'],
          properties: {
            ...TRUTH,
            message: { type: 'string' },
            warning: { type: 'string', description: 'partial_success: what was not applied (the skills)' },
            phoneNumber: { type: 'string' },
            phoneName: { type: 'string' },
            requestId: { type: 'string' },
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            ...TRUTH,
            nameMismatch: { type: 'boolean', description: 'phone-number-not-found: the number exists, but not with the name given' },
            errors: {
              type: 'array',
              items: { type: 'object', required: ['field', 'rule', 'message'], properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
    security: [{ teamToken: [] }],
    paths: {
      '/phone-numbers': {
        post: { operationId: 'createPhoneNumber', requestBody: json(requestBodies.create), responses: { '200': success('Created (or partial_success: created without the skills)'), ...errorResponses(MUTATION_ERRORS) } },
      },
      '/phone-numbers/{phoneNumber}': {
        parameters: [phoneNumberParam],
        patch: { operationId: 'editPhoneNumber', requestBody: json(requestBodies.edit), responses: { '200': success('Edited (or partial_success)'), ...errorResponses(MUTATION_ERRORS), ...NOT_FOUND_RESPONSE } },
        delete: {
          operationId: 'deletePhoneNumber',
          description: 'The fields come in the JSON body, or, when no body is sent (many clients and proxies drop DELETE bodies), as userName and phoneName in the query string.',
          parameters: [
            { name: 'userName', in: 'query', required: false, description: 'When no body is sent', schema: jsonSchema(userNameSchema) },
            { name: 'phoneName', in: 'query', required: false, description: 'When no body is sent', schema: jsonSchema(existingPhoneNameSchema) },
          ],
          requestBody: { ...json(requestBodies.delete), required: false },
          responses: { '200': success('Deleted'), ...errorResponses(MUTATION_ERRORS), ...NOT_FOUND_RESPONSE },
        },
        get: {
          operationId: 'getPhoneNumber',
          description:
            "CloudAgent v2's `get`, a GET with a JSON body upstream: sent over node:http on Node and over HTTP/1.1 on `cloudflare:sockets` on Workers, so it works on both runtimes.",
          parameters: [{ name: 'userName', in: 'query', required: true, schema: jsonSchema(userNameSchema) }],
          responses: { '200': success('Found'), ...errorResponses([400, 401, 403, 422, 429, 502, 504]), ...NOT_FOUND_RESPONSE },
        },
      },
      '/healthz': { get: { operationId: 'health', security: [], responses: { '200': { description: 'Configured and serving' }, '503': problemRef(503, 'Misconfigured') } } },
      '/openapi.json': { get: { operationId: 'openapi', security: [], responses: { '200': { description: 'This document' } } } },
    },
  };
  return doc;
}
