import { Validator, type Schema } from '@cfworker/json-schema';
import { validateOperation } from '@cloudagent-phone/core';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, requestBodies } from './openapi.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const served = JSON.parse(readFileSync(new URL('../public/openapi.json', import.meta.url), 'utf8'));
const doc = buildOpenApiDocument() as Record<string, any>;

function bodySchema(path: string, method: string): Schema {
  return doc.paths[path][method].requestBody.content['application/json'].schema;
}

describe('the OpenAPI document', () => {
  it('served file is exactly what the schemas build today (run `npm run build` in apps/edge when this fails)', () => {
    expect(served).toEqual(doc);
  });

  it("takes info.version from the edge's package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(doc.info.version).toBe(pkg.version);
  });

  it('passes @redocly/cli lint with the recommended rules: no error, no warning', async () => {
    const run = promisify(execFile);
    // Exit status 1 on any error; warnings are read from the JSON report. The package's own bin, not
    // `pnpm exec`: `npm test` in apps/edge runs this too, on a clone with no pnpm on PATH.
    const result = await run(join(appDir, 'node_modules', '.bin', 'redocly'), ['lint', 'public/openapi.json', '--format=json'], { cwd: appDir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { message: string; location: { pointer: string }[] }[] };
    expect(report.problems.map((p) => `${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('has a summary, description and tag on every operation', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(operation.description, `${method} ${path}`).toBeTruthy();
        expect(operation.tags, `${method} ${path}`).toHaveLength(1);
      }
    }
  });

  it("describes each body with core's fields and rules", () => {
    const edit = bodySchema('/phone-numbers/{phoneNumber}', 'patch') as Record<string, any>;
    expect(Object.keys(edit.properties).sort()).toEqual(['assignSkill', 'phoneName', 'phoneNameNew', 'phoneNumberNew', 'unAssignSkill', 'userName']);
    expect(edit.required.sort()).toEqual(['phoneName', 'userName']);
    const del = bodySchema('/phone-numbers/{phoneNumber}', 'delete') as Record<string, any>;
    expect(Object.keys(del.properties).sort()).toEqual(['phoneName', 'userName']);
  });

  it('takes skills as a list or as one comma-separated string, as validateOperation does', () => {
    const create = new Validator(bodySchema('/phone-numbers', 'post'), '2020-12');
    const base = { phoneNumber: '+917001112223', phoneName: 'Sales-desk' };
    for (const skill of [['Sales', 'Support'], 'Sales,Support', 'Sales']) {
      expect(create.validate({ ...base, userName: 'demo', skill }).valid, JSON.stringify(skill)).toBe(true);
      expect(validateOperation({ ...base, action: 'create', skill }).ok).toBe(true);
    }
    for (const skill of ['', 'Sales,,Support', ['A,B'], 7]) {
      expect(create.validate({ ...base, userName: 'demo', skill }).valid, JSON.stringify(skill)).toBe(false);
      expect(validateOperation({ ...base, action: 'create', skill }).ok).toBe(false);
    }
  });

  it('agrees with validateOperation on what a body may hold', () => {
    const body = { userName: 'demo', phoneName: 'Front-desk', phoneNameNew: 'Reception', assignSkill: ['Sales'] };
    expect(requestBodies.edit.safeParse(body).success).toBe(true);
    const { userName: _u, ...fields } = body;
    expect(validateOperation({ ...fields, action: 'edit', phoneNumber: '+919876543210' }).ok).toBe(true);
    expect(requestBodies.edit.safeParse({ ...body, colour: 'red' }).success).toBe(false);
  });
});
