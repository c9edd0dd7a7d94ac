import { describe, expect, it } from 'vitest';
import { fromV1Params } from './v1-params.js';
import { parsePhpQuery } from './php-query.js';

describe('fromV1Params', () => {
  it('maps the documented parameters', () => {
    const r = fromV1Params(parsePhpQuery('action=edit&apiKey=K&userName=u&phoneNumber=%2B9198&phoneName=Desk&phoneNumberNew=%2B9199&PhoneNameNew=Front&assignSkill=A,B'));
    expect(r).toEqual({
      operation: { action: 'edit', phoneNumber: '+9198', phoneName: 'Desk', phoneNumberNew: '+9199', phoneNameNew: 'Front', assignSkill: ['A', 'B'] },
      userName: 'u',
      apiKey: 'K',
      quirks: [],
    });
  });
  it('restores a raw + read as a space, and reports the quirks', () => {
    const r = fromV1Params(parsePhpQuery('action=delete&api_key=K&username=u&phoneNumber=+9198&phoneName=Desk&phoneNameNew=X'));
    expect(r.operation.phoneNumber).toBe('+9198');
    expect(r.apiKey).toBe('K');
    expect(r.userName).toBe('u');
    expect(r.operation.phoneNameNew).toBe('X');
    expect(r.quirks.sort()).toEqual(['alias-key', 'lowercase-new-name-key', 'plus-as-space']);
  });
  it('does not touch a name that starts with a space', () => {
    expect(fromV1Params({ action: 'delete', phoneNumber: '12', phoneName: ' 12' }).operation.phoneName).toBe(' 12');
  });
  it("leaves a name's leading space (a raw + read by PHP) as v1 read it, new name or existing: v1 stored such names without the +", () => {
    const create = fromV1Params(parsePhpQuery('action=create&phoneNumber=%2B9198&phoneName=+Desk'));
    expect(create.operation.phoneName).toBe(' Desk');
    expect(create.quirks).toEqual([]);
    expect(fromV1Params(parsePhpQuery('action=edit&phoneNumber=%2B9198&phoneName=+Desk&PhoneNameNew=+Front')).operation).toMatchObject({ phoneName: ' Desk', phoneNameNew: ' Front' });
  });
  it('reads every documented parameter name in any case, as it reads api_key and username', () => {
    const r = fromV1Params(parsePhpQuery('ACTION=edit&APIKEY=K&USERNAME=u&PHONENUMBER=%2B9198&PhoneName=Desk&phonenamenew=Front&assignskill=A&UNASSIGNSKILL=B'));
    expect(r.operation).toEqual({ action: 'edit', phoneNumber: '+9198', phoneName: 'Desk', phoneNameNew: 'Front', assignSkill: ['A'], unAssignSkill: ['B'] });
    expect(r.apiKey).toBe('K');
    expect(r.quirks).toContain('alias-key');
    expect(fromV1Params(parsePhpQuery('action=create&Skill=A,B&phoneNumber=1&phoneName=x')).operation.skill).toEqual(['A', 'B']);
  });
  it('the documented spelling wins over an alias, whatever the order', () => {
    expect(fromV1Params(parsePhpQuery('phonenumber=1&phoneNumber=2')).operation.phoneNumber).toBe('2');
    expect(fromV1Params(parsePhpQuery('phoneNumber=2&phonenumber=1')).operation.phoneNumber).toBe('2');
    expect(fromV1Params(parsePhpQuery('phonenamenew=A&PhoneNameNew=B')).operation.phoneNameNew).toBe('B');
  });
});
