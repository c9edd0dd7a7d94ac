import { describe, expect, it } from 'vitest';
import { readV1Request } from './v1-request.js';

const url = (q: string) => `http://shim.test/CAServices/PhoneManageV2.php${q}`;

describe('readV1Request', () => {
  it('keeps a raw + as PHP does (a space) for core to restore, and the raw query for pass-through', () => {
    const r = readV1Request({ method: 'GET', url: url('?phoneNumber=+9198&a=%2B1') });
    expect(r.params).toEqual({ phoneNumber: ' 9198', a: '+1' });
    expect(r.rawQuery).toBe('phoneNumber=+9198&a=%2B1');
  });

  it('notes ?&, duplicates (and whether they disagree), and merges query then form body', () => {
    const r = readV1Request({ method: 'POST', url: url('?&a=1&a=2&b=q'), contentType: 'application/x-www-form-urlencoded; charset=UTF-8', body: 'b=f&c=3' });
    expect(r.params).toEqual({ a: '2', b: 'f', c: '3' });
    expect(r.quirks.sort()).toEqual(['duplicate-key', 'form-post', 'leading-ampersand', 'query-and-body']);
    expect(r.mismatches.sort()).toEqual(['conflicting-duplicate', 'query-body-conflict']);
  });

  it('ignores a body that is not a form, as $_REQUEST does, and says so', () => {
    const r = readV1Request({ method: 'POST', url: url('?a=1'), contentType: 'application/json', body: '{"b":2}' });
    expect(r.params).toEqual({ a: '1' });
    expect(r.quirks).toEqual(['post-with-query']);
    expect(r.mismatches).toEqual(['ignored-body']);
  });

  it('flags both new-name spellings with different values', () => {
    const r = readV1Request({ method: 'GET', url: url('?PhoneNameNew=A1&phoneNameNew=B2') });
    expect(r.mismatches).toEqual(['both-new-name-spellings']);
  });
});
