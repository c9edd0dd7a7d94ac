import { describe, expect, it } from 'vitest';
import { parsePhpQuery } from './php-query.js';
import { redact } from './redact.js';
import { validateCredentials, validateOperation } from './validate.js';
import { fromV1Params } from './v1-params.js';

// Caller input used as a key must never find Object.prototype's members, nor set a prototype.
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('user input as keys', () => {
  it.each(NAMES)('parsePhpQuery keeps %s as a plain parameter', (name) => {
    const params = parsePhpQuery(`${name}=x&userName=${name}`);
    expect(Object.keys(params).sort()).toEqual([name, 'userName'].sort());
    expect(params[name]).toBe('x');
    expect(parsePhpQuery('a=1')[name]).toBeUndefined();
  });

  it.each(NAMES)('fromV1Params reads a parameter named %s as an unknown one, and a user name %s as a name', (name) => {
    const v1 = fromV1Params(parsePhpQuery(`${name}=x&userName=${name}&apiKey=k&action=create`));
    expect(v1.userName).toBe(name);
    expect(v1.quirks).toEqual([]);
    expect(v1.operation).toEqual({ action: 'create' });
  });

  it.each(NAMES)('a body key %s is an unknown field, with no made-up hint', (name) => {
    const result = validateOperation(JSON.parse(`{"action":"create","phoneNumber":"123","phoneName":"Desk","${name}":1}`));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([{ field: name, rule: 'unknown-field', message: `${name} is not a field of this action` }]);
  });

  it.each(NAMES)('a user name %s is a valid name like any other', (name) => {
    expect(validateCredentials({ userName: name, apiKey: 'k' })).toEqual({ ok: true, value: { userName: name, apiKey: 'k' } });
  });

  it('redact keeps a __proto__ field as a field and never sets a prototype', () => {
    const out = redact(JSON.parse('{"__proto__":{"polluted":true},"apiKey":"secret"}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'apiKey']);
    expect(out.apiKey).toBe('[REDACTED]');
  });
});
