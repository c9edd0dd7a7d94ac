import { describe, expect, it } from 'vitest';
import { parsePhpQuery, phpUrlDecode, rawQueryOf } from './php-query.js';

describe('parsePhpQuery', () => {
  it('reads a raw + as a space, as PHP does', () => {
    expect(parsePhpQuery('phoneNumber=+919876543210')).toEqual({ phoneNumber: ' 919876543210' });
    expect(parsePhpQuery('phoneNumber=%2B919876543210')).toEqual({ phoneNumber: '+919876543210' });
  });
  it('lets the last duplicate win and skips empty pairs (?&)', () => {
    expect(parsePhpQuery('?&a=1&&a=2&b')).toEqual({ a: '2', b: '' });
  });
  it('keeps malformed escapes verbatim', () => {
    expect(phpUrlDecode('100%25 and 50% off %E2%82%AC')).toBe('100% and 50% off €');
    expect(parsePhpQuery('a=%ZZ&b=%E2%82')).toEqual({ a: '%ZZ', b: '%E2%82' });
  });
});

describe('rawQueryOf', () => {
  it('keeps the query as it arrived, without the fragment', () => {
    expect(rawQueryOf('http://h/CAServices/PhoneManageV2.php?phoneNumber=+9198&a=%2B1#frag')).toBe('phoneNumber=+9198&a=%2B1');
    expect(rawQueryOf('http://h/p?&userName=u')).toBe('&userName=u');
    expect(rawQueryOf('http://h/p')).toBe('');
  });
});
