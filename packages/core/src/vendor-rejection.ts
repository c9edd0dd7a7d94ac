import type { VendorMessageKey } from './messages.js';
import { DEFAULT_MAX_PHONE_DIGITS, MAX_NAME_LENGTH, MIN_NAME_LENGTH, MIN_PHONE_DIGITS, NAME_CHARACTERS, NAME_ENDS } from './rules.js';

/**
 * The checks CloudAgent itself makes on the operation fields, in its order, answered with its documented messages.
 * The simulator answers with them, and the v1 shim runs them before anything is sent (a call v1 would
 * have refused costs no v2 call). Unlike the schemas (validate.ts), which bind what this toolkit sends
 * and explain in its own words, these say what the server would say. The rules are
 * the vendor's (see the reference): a number is digits with an optional leading +, a new number has
 * 3 to 17 digits, a new name is 2 to 50 characters of letters, digits and . , @ _ - (a leading +
 * allowed) that does not start or end with one of those specials.
 */
const MIN_DIGITS = MIN_PHONE_DIGITS;
const MAX_DIGITS = DEFAULT_MAX_PHONE_DIGITS;

export interface VendorFields {
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
  return name.length < MIN_NAME_LENGTH || name.length > MAX_NAME_LENGTH || !NAME_CHARACTERS.test(name) || !NAME_ENDS.test(name) ? 'nameRule' : undefined;
}

const existingName = (v: string | undefined): VendorMessageKey | undefined => (blank(v) ? 'nameEmpty' : undefined);

/** The first v1 rule the fields break, or undefined. An edit's empty new number or new name means "unchanged". */
export function vendorRejection(action: 'create' | 'edit' | 'delete', f: VendorFields): VendorMessageKey | undefined {
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
