import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeV1 } from './encode-v1.js';
import { encodeTokenRequest, encodeV2 } from './encode-v2.js';
import { REGIONS } from './hosts.js';
import type { PhoneOperation } from './operation.js';
import { parsePhpQuery } from './php-query.js';
import { validateOperation } from './validate.js';

const creds = { userName: 'acme_admin', apiKey: 'KEY-123' };
const edit: PhoneOperation = {
  action: 'edit',
  phoneNumber: '+919876543210',
  phoneName: 'Sales Desk',
  phoneNumberNew: '+919876543211',
  phoneNameNew: 'Sales',
  assignSkill: ['General', 'QA_Skill'],
  unAssignSkill: ['Python'],
};

describe('encodeV1', () => {
  it('puts everything in the query of a GET, + as %2B, the new name as PhoneNameNew', () => {
    const req = encodeV1(edit, creds);
    expect(req.method).toBe('GET');
    expect(req.body).toBeUndefined();
    expect(req.url).toBe(
      'https://in1-ccaas-api.ozonetel.com/CAServices/PhoneManageV2.php?action=edit&apiKey=KEY-123&userName=acme_admin' +
        '&phoneNumber=%2B919876543210&phoneName=Sales%20Desk&phoneNumberNew=%2B919876543211&PhoneNameNew=Sales' +
        '&assignSkill=General,QA_Skill&unAssignSkill=Python',
    );
    expect(req.url).not.toMatch(/=\+/);
  });

  it('omits absent optional fields entirely', () => {
    const req = encodeV1({ action: 'delete', phoneNumber: '12345', phoneName: 'Desk' }, creds);
    expect(req.url).toBe('https://in1-ccaas-api.ozonetel.com/CAServices/PhoneManageV2.php?action=delete&apiKey=KEY-123&userName=acme_admin&phoneNumber=12345&phoneName=Desk');
  });

  it('sends create skills as the singular skill parameter', () => {
    const url = encodeV1({ action: 'create', phoneNumber: '12345', phoneName: 'Desk', skill: ['A', 'B'] }, creds).url;
    expect(parsePhpQuery(url.split('?')[1]!)).toMatchObject({ skill: 'A,B', action: 'create' });
  });

  it('takes another host and the other spelling as options', () => {
    const req = encodeV1(edit, creds, { baseUrl: `${REGIONS.international}/`, newNameKey: 'phoneNameNew' });
    expect(req.url.startsWith('https://api.ccaas.ozonetel.com/CAServices/PhoneManageV2.php?')).toBe(true);
    expect(req.url).toContain('&phoneNameNew=Sales');
  });

  it('refuses token credentials: v1 has no token auth', () => {
    expect(() => encodeV1(edit, { userName: 'u', token: 't' })).toThrow(/token/);
  });

  it('round-trips through PHP query parsing for any valid values', () => {
    const digits = fc.stringMatching(/^\+?\d{3,17}$/);
    const name = fc.stringMatching(/^\+?[A-Za-z0-9]([A-Za-z0-9.,@_-]{0,46}[A-Za-z0-9])?$/);
    const skill = fc.stringMatching(/^[^,]{1,20}$/);
    fc.assert(
      fc.property(digits, name, digits, name, fc.array(skill, { minLength: 1, maxLength: 4 }), fc.string({ minLength: 1 }), (n, nm, nn, nnm, skills, key) => {
        const op: PhoneOperation = { action: 'edit', phoneNumber: n, phoneName: nm, phoneNumberNew: nn, phoneNameNew: nnm, assignSkill: skills };
        const parsed = parsePhpQuery(encodeV1(op, { userName: 'u', apiKey: key }).url.split('?')[1]!);
        expect(parsed).toEqual({
          action: 'edit',
          apiKey: key,
          userName: 'u',
          phoneNumber: n,
          phoneName: nm,
          phoneNumberNew: nn,
          PhoneNameNew: nnm,
          assignSkill: skills.join(','),
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('encodeV2', () => {
  it('POSTs JSON with the key in the apiKey header and nowhere else', () => {
    const req = encodeV2(edit, creds);
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://in1-ccaas-api.ozonetel.com/ca_apis/PhoneManageV2');
    expect(req.headers).toEqual({ 'Content-Type': 'application/json', Accept: 'application/json', apiKey: 'KEY-123' });
    expect(JSON.parse(req.body!)).toEqual({
      action: 'edit',
      userName: 'acme_admin',
      phoneNumber: '+919876543210',
      phoneName: 'Sales Desk',
      phoneNumberNew: '+919876543211',
      phoneNameNew: 'Sales',
      assignSkill: 'General,QA_Skill',
      unAssignSkill: 'Python',
    });
    expect(req.url + req.body).not.toContain('KEY-123');
  });

  it('uses a bearer token for token accounts', () => {
    const req = encodeV2(edit, { userName: 'u', token: 'eyJtok' });
    expect(req.headers.Authorization).toBe('Bearer eyJtok');
    expect(req.headers.apiKey).toBeUndefined();
  });

  it('sends get as a GET with a JSON body, as documented', () => {
    const req = encodeV2({ action: 'get', phoneNumber: '+9198' }, creds);
    expect(req.method).toBe('GET');
    expect(JSON.parse(req.body!)).toEqual({ action: 'get', userName: 'acme_admin', phoneNumber: '+9198' });
  });

  it('offers the other spelling and %2B inside JSON as options', () => {
    const body = JSON.parse(encodeV2(edit, creds, { newNameKey: 'PhoneNameNew', plusInJson: 'percent' }).body!);
    expect(body.PhoneNameNew).toBe('Sales');
    expect(body.phoneNameNew).toBeUndefined();
    expect(body.phoneNumber).toBe('%2B919876543210');
  });

  it('encodes the token request with the key as a header', () => {
    const req = encodeTokenRequest(creds, { baseUrl: 'http://127.0.0.1:9' });
    expect(req).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:9/ca_apis/CAToken/generateToken',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', apiKey: 'KEY-123' },
      body: '{"userName":"acme_admin"}',
    });
  });
});

describe('encoders: absent means not sent', () => {
  const op: PhoneOperation = { action: 'edit', phoneNumber: '+9198', phoneName: 'Desk', phoneNumberNew: '+9199', assignSkill: [], unAssignSkill: [] };

  it('v1 sends no empty skill list (it would draw "failed to insert skills")', () => {
    const query = parsePhpQuery(encodeV1(op, creds).url.split('?')[1]!);
    expect(Object.keys(query)).toEqual(['action', 'apiKey', 'userName', 'phoneNumber', 'phoneName', 'phoneNumberNew']);
  });

  it('v2 sends no empty skill list either', () => {
    expect(Object.keys(JSON.parse(encodeV2(op, creds).body!))).toEqual(['action', 'userName', 'phoneNumber', 'phoneName', 'phoneNumberNew']);
    const create = JSON.parse(encodeV2({ action: 'create', phoneNumber: '123', phoneName: 'Desk', skill: [] }, creds).body!);
    expect(create.skill).toBeUndefined();
  });

  it('v1 sends every + as %2B, in numbers and names alike, and never a raw +', () => {
    const url = encodeV1({ action: 'edit', phoneNumber: '+1555', phoneName: '+Desk', phoneNumberNew: '+44777', phoneNameNew: '+Front' }, creds).url;
    expect(url).toContain('phoneNumber=%2B1555&phoneName=%2BDesk&phoneNumberNew=%2B44777&PhoneNameNew=%2BFront');
    expect(url.split('?')[1]).not.toContain('+');
  });

  it('v2 get by name sends only the name', () => {
    expect(JSON.parse(encodeV2({ action: 'get', phoneName: 'Desk' }, creds).body!)).toEqual({ action: 'get', userName: 'acme_admin', phoneName: 'Desk' });
  });

  it('leading zeros survive validation and both encoders, digit for digit (numbers are strings end to end)', () => {
    const validated = validateOperation({ action: 'edit', phoneNumber: ' 0091987 ', phoneName: 'Desk', phoneNumberNew: '09876543210' });
    expect(validated).toMatchObject({ ok: true, value: { phoneNumber: '0091987', phoneNumberNew: '09876543210' } });
    if (!validated.ok) return;
    expect(parsePhpQuery(encodeV1(validated.value, creds).url.split('?')[1]!)).toMatchObject({ phoneNumber: '0091987', phoneNumberNew: '09876543210' });
    expect(JSON.parse(encodeV2(validated.value, creds).body!)).toMatchObject({ phoneNumber: '0091987', phoneNumberNew: '09876543210' });
  });
});
