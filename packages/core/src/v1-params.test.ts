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
});
