import { describe, expect, it } from 'vitest';
import { validateCredentials, validateOperation, formatIssues } from './validate.js';

const ok = (input: unknown) => {
  const r = validateOperation(input);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.value;
};
const issues = (input: unknown, options = {}) => {
  const r = validateOperation(input, options);
  if (r.ok) throw new Error(`expected invalid: ${JSON.stringify(input)}`);
  return r.issues;
};

describe('validateOperation: numbers', () => {
  it.each(['123', '+123', '12345678901234567', '+12345678901234567', ' 9876543210 '])('accepts new number %j', (n) => {
    expect(ok({ action: 'create', phoneNumber: n, phoneName: 'Desk' }).phoneNumber).toBe(n.trim());
  });
  it.each(['12', '123456789012345678', '98-765', '+91 98765', 'abc', '++123', '', '1+23'])('rejects new number %j, naming the field and rule', (n) => {
    const [issue] = issues({ action: 'create', phoneNumber: n, phoneName: 'Desk' });
    expect(issue).toMatchObject({ field: 'phoneNumber', rule: 'phone-number-format' });
    expect(issue!.message).toMatch(/^phoneNumber must be 3 to 17 digits/);
  });
  it('makes the 16-digit reading one option away', () => {
    expect(issues({ action: 'create', phoneNumber: '12345678901234567', phoneName: 'Desk' }, { maxPhoneDigits: 16 })[0]!.message).toContain('3 to 16 digits');
  });
  it('holds an existing number only to being numeric', () => {
    expect(ok({ action: 'delete', phoneNumber: '12', phoneName: 'x y' })).toEqual({ action: 'delete', phoneNumber: '12', phoneName: 'x y' });
    expect(issues({ action: 'delete', phoneNumber: '12a', phoneName: 'x' })[0]).toMatchObject({ field: 'phoneNumber', rule: 'existing-phone-number-format' });
  });
});

describe('validateOperation: names', () => {
  it.each(['ab', 'Sales', '+Sales', 'a.b,c@d_e-f', 'X'.repeat(50), '  Desk  '])('accepts new name %j', (name) => {
    expect(ok({ action: 'create', phoneNumber: '12345', phoneName: name }).phoneName).toBe(name.trim());
  });
  it.each([
    ['a', 'phone-name-length'],
    ['X'.repeat(51), 'phone-name-length'],
    ['Sales Desk', 'phone-name-characters'],
    ['Sales#1', 'phone-name-characters'],
    ['.Sales', 'phone-name-ends'],
    ['Sales-', 'phone-name-ends'],
    ['_x', 'phone-name-ends'],
  ])('rejects new name %j (%s)', (name, rule) => {
    expect(issues({ action: 'create', phoneNumber: '12345', phoneName: name })[0]).toMatchObject({ field: 'phoneName', rule });
  });
  it('lets an existing name predate the rule (spaces), but not be blank', () => {
    expect(ok({ action: 'edit', phoneNumber: '12345', phoneName: 'Old Desk.', phoneNameNew: 'NewDesk' }).phoneName).toBe('Old Desk.');
    expect(issues({ action: 'edit', phoneNumber: '12345', phoneName: '   ', phoneNameNew: 'NewDesk' })[0]).toMatchObject({ field: 'phoneName', rule: 'existing-phone-name-format' });
  });
});

describe('validateOperation: skills', () => {
  it('splits, trims and de-duplicates case-insensitively', () => {
    expect(ok({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', assignSkill: ' General, QA ,general' }).assignSkill).toEqual(['General', 'QA']);
    expect(ok({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', assignSkill: ['A', 'a', ' B '] }).assignSkill).toEqual(['A', 'B']);
  });
  it('rejects empty names and commas inside a listed name', () => {
    expect(issues({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', assignSkill: 'A,,B' })[0]).toMatchObject({ field: 'assignSkill', rule: 'skill-empty' });
    expect(issues({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', assignSkill: ['A,B'] })[0]).toMatchObject({ field: 'assignSkill', rule: 'skill-comma' });
    expect(issues({ action: 'create', phoneNumber: '12345', phoneName: 'Desk', skill: 42 })[0]).toMatchObject({ field: 'skill' });
  });
  it('rejects assigning and unassigning the same skill', () => {
    expect(issues({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', assignSkill: 'QA', unAssignSkill: 'qa' })[0]).toMatchObject({ field: 'unAssignSkill', rule: 'skill-assign-and-unassign' });
  });
});

describe('validateOperation: operations', () => {
  it('defaults an edit\'s new number to the existing one (a rename)', () => {
    expect(ok({ action: 'edit', phoneNumber: '+9198765', phoneName: 'Desk', phoneNameNew: 'Front' })).toEqual({
      action: 'edit',
      phoneNumber: '+9198765',
      phoneName: 'Desk',
      phoneNumberNew: '+9198765',
      phoneNameNew: 'Front',
    });
  });
  it('rejects an edit that changes nothing', () => {
    expect(issues({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk' })[0]).toMatchObject({ rule: 'edit-no-change' });
    expect(issues({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', phoneNumberNew: '12345', phoneNameNew: 'Desk' })[0]).toMatchObject({ rule: 'edit-no-change' });
  });
  it('names missing required fields', () => {
    expect(issues({ action: 'create', phoneName: 'Desk' })[0]).toEqual({ field: 'phoneNumber', rule: 'required', message: 'phoneNumber is required' });
    expect(issues({ action: 'delete', phoneNumber: '123' })[0]).toMatchObject({ field: 'phoneName', rule: 'required' });
  });
  it('needs a number or a name for get', () => {
    expect(issues({ action: 'get' })[0]).toMatchObject({ rule: 'get-needs-number-or-name' });
    expect(ok({ action: 'get', phoneName: 'Desk' })).toEqual({ action: 'get', phoneName: 'Desk' });
  });
  it('rejects unknown actions and fields, with a hint for the vendor spelling', () => {
    expect(issues({ action: 'EDIT' })[0]).toMatchObject({ field: 'action', rule: 'action' });
    expect(issues({ action: 'list' })[0]).toMatchObject({ field: 'action' });
    const [issue] = issues({ action: 'edit', phoneNumber: '12345', phoneName: 'Desk', PhoneNameNew: 'X1' });
    expect(issue).toMatchObject({ field: 'PhoneNameNew', rule: 'unknown-field' });
    expect(issue!.message).toContain('did you mean phoneNameNew?');
  });
  it('rejects non-objects', () => {
    expect(issues(null)[0]!.field).toBe('input');
    expect(issues('edit')[0]!.field).toBe('input');
  });
});

describe('validateCredentials', () => {
  it('accepts a key or a token', () => {
    expect(validateCredentials({ userName: ' acme ', apiKey: 'k' })).toEqual({ ok: true, value: { userName: 'acme', apiKey: 'k' } });
    expect(validateCredentials({ userName: 'acme', token: 't' })).toEqual({ ok: true, value: { userName: 'acme', token: 't' } });
  });
  it('names what is wrong without echoing the secret', () => {
    const r = validateCredentials({ userName: 'a b', apiKey: 'has space SECRET' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.field)).toEqual(['userName', 'apiKey']);
      expect(JSON.stringify(r.issues)).not.toContain('SECRET');
    }
    expect(validateCredentials({ userName: 'a', apiKey: 'k', token: 't' }).ok).toBe(false);
    expect(validateCredentials({ apiKey: 'k' }).ok).toBe(false);
  });
});

describe('validateOperation: every rule names its field and its rule id', () => {
  const edit = { action: 'edit', phoneNumber: '919800000001', phoneName: 'Desk' };
  it.each([
    ['a number given as a JSON number', { action: 'create', phoneNumber: 919876543210, phoneName: 'Sales' }, 'phoneNumber', 'type-string'],
    ['a missing number', { action: 'create', phoneName: 'Sales' }, 'phoneNumber', 'required'],
    ['a short new number', { action: 'create', phoneNumber: '12', phoneName: 'Sales' }, 'phoneNumber', 'phone-number-format'],
    ['an 18-digit new number', { action: 'create', phoneNumber: '1'.repeat(18), phoneName: 'Sales' }, 'phoneNumber', 'phone-number-format'],
    ['a one-character name', { action: 'create', phoneNumber: '123', phoneName: 'S' }, 'phoneName', 'phone-name-length'],
    ['a 51-character name', { action: 'create', phoneNumber: '123', phoneName: 'S'.repeat(51) }, 'phoneName', 'phone-name-length'],
    ['a space in a new name', { action: 'create', phoneNumber: '123', phoneName: 'Sa les' }, 'phoneName', 'phone-name-characters'],
    ['a special character first', { action: 'create', phoneNumber: '123', phoneName: '-Sales' }, 'phoneName', 'phone-name-ends'],
    ['a special character last', { action: 'create', phoneNumber: '123', phoneName: 'Sales.' }, 'phoneName', 'phone-name-ends'],
    ['a dash in an existing number', { ...edit, phoneNumber: '98-76', phoneNameNew: 'X1' }, 'phoneNumber', 'existing-phone-number-format'],
    ['a blank existing name', { ...edit, phoneName: '   ', phoneNameNew: 'X1' }, 'phoneName', 'existing-phone-name-format'],
    ['a line break in an existing name', { ...edit, phoneName: 'a\nb', phoneNameNew: 'X1' }, 'phoneName', 'existing-phone-name-format'],
    ['skills given as a number', { ...edit, assignSkill: 5 }, 'assignSkill', 'skill-type'],
    ['an empty skill between commas', { ...edit, assignSkill: 'A,,B' }, 'assignSkill', 'skill-empty'],
    ['a blank skill in a list', { ...edit, unAssignSkill: [' '] }, 'unAssignSkill', 'skill-empty'],
    ['a comma inside a listed skill', { ...edit, assignSkill: ['A,B'] }, 'assignSkill', 'skill-comma'],
    ['a skill both assigned and unassigned', { ...edit, assignSkill: 'QA', unAssignSkill: ['qa'] }, 'unAssignSkill', 'skill-assign-and-unassign'],
    ['an edit that changes nothing', edit, 'phoneNumberNew', 'edit-no-change'],
    ['a get with neither number nor name', { action: 'get' }, 'phoneNumber', 'get-needs-number-or-name'],
    ['a field of another action', { action: 'delete', phoneNumber: '123', phoneName: 'D', skill: 'A' }, 'skill', 'unknown-field'],
    ['an action in the wrong case', { action: 'Edit' }, 'action', 'action'],
  ])('%s', (_name, input, field, rule) => {
    const found = issues(input)[0]!;
    expect(found).toMatchObject({ field, rule });
    // The message starts with the field (or says what to give) and is a sentence a person can act on.
    expect(found.message.length).toBeGreaterThan(field.length + 10);
  });

  it('a number given as a JSON number is not reported as missing, and says to quote it', () => {
    const [issue] = issues({ action: 'create', phoneNumber: 919876543210, phoneName: 'Sales' });
    expect(issue!.message).toMatch(/quotes/);
    expect(issue!.message).not.toMatch(/required/);
  });

  it('skills are trimmed and de-duplicated, and an empty list is dropped', () => {
    expect(ok({ ...edit, assignSkill: ' QA , General,qa ', unAssignSkill: [] })).toEqual({
      action: 'edit',
      phoneNumber: '919800000001',
      phoneName: 'Desk',
      phoneNumberNew: '919800000001',
      assignSkill: ['QA', 'General'],
    });
  });

  it('an existing name is kept as given (old records may hold spaces and trailing dots)', () => {
    expect(ok({ ...edit, phoneName: ' Old Desk. ', phoneNameNew: 'NewDesk' }).phoneName).toBe(' Old Desk. ');
  });
});

describe('validateCredentials: bounds and header safety', () => {
  it('refuses a user name over 64 characters (CloudAgent documents none; ours, in docs/decisions.md)', () => {
    expect(validateCredentials({ userName: 'a'.repeat(64), apiKey: 'k' }).ok).toBe(true);
    const r = validateCredentials({ userName: 'a'.repeat(65), apiKey: 'k' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ field: 'userName', rule: 'user-name', message: expect.stringContaining('1 to 64 characters') });
  });

  it.each([
    ['NUL', 'key\u0000x'],
    ['DEL', 'key\u007fx'],
    ['a line break', 'key\r\nx'],
    ['a non-Latin-1 character', 'key\u20acx'],
    ['a Latin-1 letter', 'key\u00e9x'],
    ['a tab', 'key\tx'],
  ])('refuses a key holding %s: it cannot travel in a header', (_what, apiKey) => {
    const r = validateCredentials({ userName: 'acme', apiKey });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ field: 'apiKey', rule: 'api-key', message: expect.stringContaining('printable ASCII') }]);
    expect(validateCredentials({ userName: 'acme', token: apiKey }).ok).toBe(false);
  });

  it('accepts every printable ASCII character in a key', () => {
    let printable = '';
    for (let c = 0x21; c <= 0x7e; c++) printable += String.fromCharCode(c);
    expect(validateCredentials({ userName: 'acme', apiKey: printable }).ok).toBe(true);
  });

  it('refuses control characters in a user name', () => {
    expect(validateCredentials({ userName: 'ac\u0000me', apiKey: 'k' }).ok).toBe(false);
    expect(validateCredentials({ userName: 'ac\u007fme', apiKey: 'k' }).ok).toBe(false);
  });
});

describe('validateOperation: an operation it returned, given again', () => {
  it('is the same operation, frozen with its skill lists, so nothing can have changed it since', () => {
    const op = ok({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Desk', assignSkill: 'Sales, Support' });
    expect(Object.isFrozen(op)).toBe(true);
    expect(Object.isFrozen(op.assignSkill)).toBe(true);
    expect(() => {
      (op as { phoneNumber: string }).phoneNumber = 'not a number';
    }).toThrow(TypeError);
    expect(() => op.assignSkill!.push('Extra')).toThrow(TypeError);
    expect(validateOperation(op)).toEqual({ ok: true, value: op });
    expect((validateOperation(op) as { value: unknown }).value).toBe(op);
  });

  it('a copy of it, or the same fields typed again, is checked in full (only the returned object is known)', () => {
    const op = ok({ action: 'create', phoneNumber: '+919876543210', phoneName: 'Desk' });
    const copy = { ...op, phoneNumber: '98-765' };
    expect(issues(copy)[0]).toMatchObject({ field: 'phoneNumber', rule: 'phone-number-format' });
  });

  it('under other rules it is checked again: 17 digits pass the default, not maxPhoneDigits 16', () => {
    const op = ok({ action: 'create', phoneNumber: '12345678901234567', phoneName: 'Desk' });
    expect(issues(op, { maxPhoneDigits: 16 })[0]).toMatchObject({ field: 'phoneNumber', rule: 'phone-number-format' });
    // and what those rules accept is not remembered for the default ones
    const loose = validateOperation({ action: 'create', phoneNumber: '1234567890123456', phoneName: 'Desk' }, { maxPhoneDigits: 16 });
    expect(loose.ok && Object.isFrozen(loose.value)).toBe(false);
  });
});
