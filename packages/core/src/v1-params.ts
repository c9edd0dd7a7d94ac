import type { PhoneAction, PhoneOperation } from './operation.js';

/** Legacy habits a v1 caller showed, reported so operators can see who still needs rescuing. */
export type V1Quirk =
  | 'plus-as-space' // a raw + in a hand-glued query, read by PHP as a space, restored
  | 'lowercase-new-name-key' // phoneNameNew instead of the documented PhoneNameNew
  | 'alias-key'; // api_key, username, ... instead of apiKey, userName

export interface V1Params {
  /** The operation in the vendor's field names, not yet validated. `action` is as sent. */
  operation: Omit<PhoneOperation, 'action'> & { action: PhoneAction | string };
  userName?: string;
  apiKey?: string;
  quirks: V1Quirk[];
}

// A Map, not an object literal: a parameter named `constructor` must not find Object's own.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['api_key', 'apiKey'],
  ['apikey', 'apiKey'],
  ['username', 'userName'],
  ['user_name', 'userName'],
  ['phonenumber', 'phoneNumber'],
  ['phonename', 'phoneName'],
  ['phonenumbernew', 'phoneNumberNew'],
]);

const NUMBER_FIELDS = ['phoneNumber', 'phoneNumberNew'] as const;

/**
 * Maps v1 request parameters (already merged the way PHP's $_REQUEST merges query and body) to an
 * operation. A number field that arrives as " 9198..." was a raw + read as a space by the URL
 * decoder: the + is restored. Skills are split on commas, untrimmed (validation trims).
 */
export function fromV1Params(params: Readonly<Record<string, string>>): V1Params {
  const quirks = new Set<V1Quirk>();
  const p: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(params)) {
    const canonical = ALIASES.get(key.toLowerCase());
    if (canonical && canonical !== key) {
      quirks.add('alias-key');
      p[canonical] ??= value;
    } else {
      p[key] = value;
    }
  }
  for (const field of NUMBER_FIELDS) {
    const v = p[field];
    if (v !== undefined && /^ \d+$/.test(v)) {
      p[field] = `+${v.slice(1)}`;
      quirks.add('plus-as-space');
    }
  }
  let phoneNameNew = p.PhoneNameNew;
  if (phoneNameNew === undefined && p.phoneNameNew !== undefined) {
    phoneNameNew = p.phoneNameNew;
    quirks.add('lowercase-new-name-key');
  }
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(','));
  const operation: V1Params['operation'] = { action: p.action ?? '' };
  const fields: [keyof PhoneOperation, string | string[] | undefined][] = [
    ['phoneNumber', p.phoneNumber],
    ['phoneName', p.phoneName],
    ['phoneNumberNew', p.phoneNumberNew],
    ['phoneNameNew', phoneNameNew],
    ['assignSkill', list(p.assignSkill)],
    ['unAssignSkill', list(p.unAssignSkill)],
    ['skill', list(p.skill)],
  ];
  for (const [k, v] of fields) if (v !== undefined) (operation as Record<string, unknown>)[k] = v;
  return {
    operation,
    ...(p.userName !== undefined ? { userName: p.userName } : {}),
    ...(p.apiKey !== undefined ? { apiKey: p.apiKey } : {}),
    quirks: [...quirks],
  };
}
