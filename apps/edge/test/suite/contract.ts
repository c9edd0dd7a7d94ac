import { Validator, type Schema } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import document from '../../public/openapi.json';
import type { EdgeHarness } from './edge-suite.js';

/**
 * Checks real answers against the OpenAPI document the edge serves: the status is documented for
 * the operation (or `default`), the content type is one the answer lists and the body matches its
 * schema, and every header of ours that was sent is documented there (and every required one sent).
 * Runs in workerd as well as Node, so the validator is @cfworker/json-schema, which compiles no code
 * (workerd forbids `new Function`, which ajv needs).
 */

type Json = Record<string, any>;

/** The headers the edge sets itself (and any RateLimit-*); each one sent must be documented on the answer it came with. */
export const EDGE_HEADERS = ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'retry-after', 'www-authenticate', 'allow', 'idempotent-replayed'];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export interface ContractAnswer {
  method: string;
  /** The request's path and query, as sent. */
  path: string;
  status: number;
  headers: Headers;
  text: string;
}

export interface ContractChecker {
  /** What in the answer disagrees with the document (empty when nothing does). */
  check(answer: ContractAnswer): string[];
  /** `operationId status` for every answer checked so far. */
  covered(): Set<string>;
}

export function createContractChecker(document: Json): ContractChecker {
  const resolve = (node: unknown): any => {
    if (Array.isArray(node)) return node.map(resolve);
    if (!node || typeof node !== 'object') return node;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string') {
      const target = ref
        .slice(2)
        .split('/')
        .reduce((at: any, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
      if (target === undefined) throw new Error(`the document's ${ref} points nowhere`);
      return resolve(target);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
  };
  const paths = Object.entries(document.paths as Json).map(([template, item]) => ({
    template,
    item: item as Json,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const covered = new Set<string>();

  function responseFor(answer: ContractAnswer): { label: string; response?: Json; problem?: string } {
    const pathname = answer.path.split('?')[0]!;
    const method = answer.method.toLowerCase();
    const match = paths.find((p) => p.pattern.test(pathname));
    if (!match) return { label: 'no-route', response: resolve(document.components.responses.NotFound), ...(answer.status === 404 ? {} : { problem: `${answer.status} for a path the document does not have (only 404 is)` }) };
    const operation = match.item[method] as Json | undefined;
    if (!operation) {
      // A method the path does not take: every operation on the path documents that answer (405).
      const any = METHODS.map((m) => match.item[m]).find(Boolean) as Json;
      const label = `${match.template} ${method}`;
      if (answer.status !== 405) return { label, problem: `${answer.status} for ${method.toUpperCase()} ${match.template}, a method the document does not list there (only 405 is)` };
      return { label, response: resolve(any.responses['405']) };
    }
    const label = String(operation.operationId);
    const response = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!response) return { label, problem: `${label} answered ${answer.status}, which it does not document (and it has no default)` };
    return { label, response: resolve(response) };
  }

  function checkBody(response: Json, answer: ContractAnswer, where: string): string[] {
    const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!response.content) return answer.text === '' ? [] : [`${where}: a body was sent but the document describes none`];
    const media = response.content[type] as Json | undefined;
    if (!media) return [`${where}: content type "${type}" is not one of ${Object.keys(response.content).join(', ')}`];
    if (!media.schema) return [];
    let value: unknown = answer.text;
    if (/ndjson$/.test(type)) {
      // A sequence: the schema is each line's (what OpenAPI 3.2 calls itemSchema).
      const validator = new Validator(media.schema as Schema, '2020-12', false);
      const out: string[] = [];
      answer.text.split('\n').forEach((line, i) => {
        if (line === '') return;
        let item: unknown;
        try {
          item = JSON.parse(line);
        } catch {
          out.push(`${where}: line ${i + 1} of the ${type} body is not JSON`);
          return;
        }
        const result = validator.validate(item);
        if (!result.valid) out.push(...result.errors.filter((e) => !e.keyword.startsWith('$ref')).map((e) => `${where}: line ${i + 1} ${e.instanceLocation} ${e.error}`));
      });
      return out;
    }
    if (/json$/.test(type)) {
      try {
        value = JSON.parse(answer.text);
      } catch {
        return [`${where}: the ${type} body is not JSON`];
      }
    }
    const result = new Validator(media.schema as Schema, '2020-12', false).validate(value);
    return result.valid ? [] : result.errors.filter((e) => !e.keyword.startsWith('$ref')).map((e) => `${where}: body ${e.instanceLocation} ${e.error}`);
  }

  function checkHeaders(response: Json, answer: ContractAnswer, where: string): string[] {
    const documented = new Map(Object.entries((response.headers ?? {}) as Json).map(([name, header]) => [name.toLowerCase(), header as Json]));
    const out: string[] = [];
    // Any RateLimit-* header (a limiter may add Reset or Policy) must be documented as well.
    const rateLimitHeaders = [...answer.headers.keys()].filter((name) => name.startsWith('ratelimit'));
    for (const name of new Set([...EDGE_HEADERS, ...rateLimitHeaders])) {
      const value = answer.headers.get(name);
      const header = documented.get(name);
      if (value === null) {
        if (header?.required) out.push(`${where}: required header ${name} is missing`);
        continue;
      }
      if (!header) {
        out.push(`${where}: header ${name} is sent but not documented`);
        continue;
      }
      const schema = header.schema as Json;
      const parsed = schema.type === 'integer' ? (/^\d+$/.test(value) ? Number(value) : value) : value;
      const result = new Validator(schema as Schema, '2020-12', false).validate(parsed);
      if (!result.valid) out.push(`${where}: header ${name}: "${value}" ${result.errors.map((e) => e.error).join('; ')}`);
    }
    return out;
  }

  return {
    check(answer) {
      const { label, response, problem } = responseFor(answer);
      const where = `${answer.method} ${answer.path} -> ${answer.status}`;
      if (problem) return [`${where}: ${problem}`];
      covered.add(`${label} ${answer.status}`);
      return [...checkBody(response!, answer, where), ...checkHeaders(response!, answer, where)];
    },
    covered: () => covered,
  };
}

/**
 * A harness whose every answer is checked against the document the edge serves, for any suite to
 * run on, and the test (to define after those suites) that fails on any mismatch.
 */
export function checkedAgainstContract(harness: () => EdgeHarness): { harness: () => EdgeHarness; defineContractTest(mustCover: string[]): void } {
  const contract = createContractChecker(document);
  const mismatches: string[] = [];
  let checked = 0;
  const request: EdgeHarness['request'] = async (path, init = {}) => {
    const response = await harness().request(path, init);
    const text = await response.clone().text();
    mismatches.push(...contract.check({ method: init.method ?? 'GET', path, status: response.status, headers: response.headers, text }));
    checked += 1;
    return response;
  };
  return {
    harness: () => ({ ...harness(), request }),
    defineContractTest(mustCover) {
      describe('the OpenAPI contract', () => {
        it('every answer above matched the document: status, content type, body schema and headers', () => {
          expect(checked).toBeGreaterThan(60);
          expect(mismatches).toEqual([]);
          // The suites reached the answers that matter most, so "no mismatch" covers them.
          for (const answer of mustCover) expect(contract.covered()).toContain(answer);
        });
      });
    },
  };
}

/** Answers every run of the edge suite reaches, on either runtime. */
export const COVERED_BY_EDGE_SUITE = [
  'createPhoneNumber 200', 'createPhoneNumber 400', 'createPhoneNumber 401', 'createPhoneNumber 409', 'createPhoneNumber 413', 'createPhoneNumber 415',
  'createPhoneNumber 422', 'createPhoneNumber 429', 'createPhoneNumber 502', 'createPhoneNumber 504', 'editPhoneNumber 200', 'deletePhoneNumber 200', 'getPhoneNumber 200',
  'getPhoneNumberByName 200', 'getPhoneNumberByName 400', 'getPhoneNumberByName 401', 'getPhoneNumberByName 403', 'getPhoneNumberByName 404', 'getPhoneNumberByName 429',
  'health 200', 'openapi 200', 'docs 200', 'docsFile 200', 'no-route 404',
];

/** Answers the idempotency suite reaches: a key in flight, a key reused, a key missing, the audit trail. */
export const COVERED_BY_IDEMPOTENCY_SUITE = ['createPhoneNumber 409', 'createPhoneNumber 422', 'createPhoneNumber 400', 'listAudit 200'];
