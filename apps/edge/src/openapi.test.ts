import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, requestBodies } from './openapi.js';
import { validateOperation } from '@cloudagent-phone/core';

describe('the OpenAPI document', () => {
  it('served file is exactly what the schemas build today (run `pnpm build` when this fails)', () => {
    const served = JSON.parse(readFileSync(new URL('./openapi.generated.json', import.meta.url), 'utf8'));
    expect(served).toEqual(buildOpenApiDocument());
  });

  it("describes each body with core's fields and rules", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, any>> };
    const edit = doc.paths['/phone-numbers/{phoneNumber}']!.patch.requestBody.content['application/json'].schema;
    expect(Object.keys(edit.properties).sort()).toEqual(['assignSkill', 'phoneName', 'phoneNameNew', 'phoneNumberNew', 'unAssignSkill', 'userName']);
    expect(edit.required.sort()).toEqual(['phoneName', 'userName']);
    const del = doc.paths['/phone-numbers/{phoneNumber}']!.delete.requestBody.content['application/json'].schema;
    expect(Object.keys(del.properties).sort()).toEqual(['phoneName', 'userName']);
  });

  it('agrees with validateOperation on what a body may hold', () => {
    const body = { userName: 'demo', phoneName: 'Front-desk', phoneNameNew: 'Reception', assignSkill: ['Sales'] };
    expect(requestBodies.edit.safeParse(body).success).toBe(true);
    const { userName: _u, ...fields } = body;
    expect(validateOperation({ ...fields, action: 'edit', phoneNumber: '+919876543210' }).ok).toBe(true);
    expect(requestBodies.edit.safeParse({ ...body, colour: 'red' }).success).toBe(false);
  });
});
