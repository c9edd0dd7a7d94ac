import type { VendorMessageKey } from '@cloudagent-phone/core';

/**
 * v1's own checks on the operation fields, in v1's order, answered with v1's documented messages.
 * These run before anything is sent, so a call v1 would have refused costs no v2 call. The rules are
 * the vendor's (see the reference): a number is digits with an optional leading +, a new number has
 * 3 to 17 digits, a new name is 2 to 50 characters of letters, digits and . , @ _ - (a leading +
 * allowed) that does not start or end with one of those specials.
 */
const MIN_DIGITS = 3;
const MAX_DIGITS = 17;
const NAME_CHARACTERS = /^\+?[A-Za-z0-9.,@_-]*$/;
const NAME_ENDS = /^\+?[A-Za-z0-9](?:.*[A-Za-z0-9])?$/;

export interface V1Fields {
  phoneNumber?: string;
  phoneName?: string;
  phoneNumberNew?: string;
  phoneNameNew?: string;
}

const blank = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';

function existingNumber(v: string | undefined): VendorMessageKey | undefined {
  if (blank(v)) return 'numberEmpty';
  return /^\+?\d+$/.test(v) ? undefined : 'numberNotNumeric';
}

function newNumber(v: string | undefined): VendorMessageKey | undefined {
  const problem = existingNumber(v);
  if (problem) return problem;
  const digits = v!.replace(/^\+/, '').length;
  return digits < MIN_DIGITS || digits > MAX_DIGITS ? 'numberLength' : undefined;
}

function newName(v: string | undefined): VendorMessageKey | undefined {
  if (blank(v)) return 'nameEmpty';
  const name = v.trim();
  return name.length < 2 || name.length > 50 || !NAME_CHARACTERS.test(name) || !NAME_ENDS.test(name) ? 'nameRule' : undefined;
}

const existingName = (v: string | undefined): VendorMessageKey | undefined => (blank(v) ? 'nameEmpty' : undefined);

/** The first v1 rule the fields break, or undefined. An edit's empty new number or new name means "unchanged". */
export function v1Rejection(action: 'create' | 'edit' | 'delete', f: V1Fields): VendorMessageKey | undefined {
  switch (action) {
    case 'create':
      return newNumber(f.phoneNumber) ?? newName(f.phoneName);
    case 'edit':
      return (
        existingNumber(f.phoneNumber) ??
        existingName(f.phoneName) ??
        (blank(f.phoneNumberNew) ? undefined : newNumber(f.phoneNumberNew)) ??
        (blank(f.phoneNameNew) ? undefined : newName(f.phoneNameNew))
      );
    case 'delete':
      return existingNumber(f.phoneNumber) ?? existingName(f.phoneName);
  }
}
