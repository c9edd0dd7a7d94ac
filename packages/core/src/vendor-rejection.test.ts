import { describe, expect, it } from 'vitest';
import { vendorRejection } from './vendor-rejection.js';

describe('vendorRejection: what CloudAgent itself would answer', () => {
  it.each([
    ['create', {}, 'numberEmpty'],
    ['create', { phoneNumber: '  ' }, 'numberEmpty'],
    ['create', { phoneNumber: '98a' }, 'numberNotNumeric'],
    ['create', { phoneNumber: ' 9198' }, 'numberNotNumeric'],
    ['create', { phoneNumber: '12' }, 'numberLength'],
    ['create', { phoneNumber: '+123456789012345678' }, 'numberLength'],
    ['create', { phoneNumber: '123' }, 'nameEmpty'],
    ['create', { phoneNumber: '123', phoneName: 'a b' }, 'nameRule'],
    ['create', { phoneNumber: '123', phoneName: '-ab' }, 'nameRule'],
    ['create', { phoneNumber: '+12345678901234567', phoneName: '+Desk' }, undefined],
    ['edit', { phoneNumber: '12', phoneName: 'Old Desk' }, undefined],
    ['edit', { phoneNumber: '12', phoneName: 'Old', phoneNumberNew: '1' }, 'numberLength'],
    ['edit', { phoneNumber: '12', phoneName: 'Old', phoneNameNew: 'x' }, 'nameRule'],
    ['edit', { phoneNumber: '12', phoneName: '' }, 'nameEmpty'],
    ['delete', { phoneName: 'x' }, 'numberEmpty'],
    ['delete', { phoneNumber: '12', phoneName: 'x' }, undefined],
  ] as const)('%s %j -> %s', (action, fields, expected) => {
    expect(vendorRejection(action, fields)).toBe(expected);
  });
});
