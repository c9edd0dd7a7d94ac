import type { PhoneParams } from './phone.js';

const PHONE_FIELDS = ['action', 'userName', 'phoneNumber', 'phoneName', 'phoneNumberNew', 'assignSkill', 'unAssignSkill', 'skill'] as const;

/**
 * Picks PhoneManageV2's fields. The new-name key is `PhoneNameNew` in every parameter table and
 * `phoneNameNew` in the v2 sample body: both are read on both versions, `PhoneNameNew` winning.
 */
export function pickPhoneParams(source: Record<string, string | undefined>): PhoneParams {
  const p: PhoneParams = {};
  for (const k of PHONE_FIELDS) if (source[k] !== undefined) p[k] = source[k];
  const newName = source.PhoneNameNew ?? source.phoneNameNew;
  if (newName !== undefined) p.phoneNameNew = newName;
  return p;
}

/** JSON values as the v2 server reads them: strings; numbers as their digits; skill lists comma-joined. */
export function jsonStrings(body: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = Object.create(null);
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
    else if (Array.isArray(v) && v.every((s) => typeof s === 'string')) out[k] = v.join(',');
  }
  // The pages ask for + as %2B "in the request"; inside JSON that is needless, but a client that
  // follows the note literally still means +.
  for (const k of ['phoneNumber', 'phoneNumberNew']) {
    const v = out[k];
    if (v !== undefined && /^%2B/i.test(v)) out[k] = `+${v.slice(3)}`;
  }
  return out;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
