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

/** The documented parameter names, by their lower-case form; `api_key` and `user_name` are the sibling endpoints'. */
// A Map, not an object literal: a parameter named `constructor` must not find Object's own.
const CANONICAL: ReadonlyMap<string, string> = new Map([
  ...['action', 'apiKey', 'userName', 'phoneNumber', 'phoneName', 'phoneNumberNew', 'PhoneNameNew', 'assignSkill', 'unAssignSkill', 'skill'].map(
    (name) => [name.toLowerCase(), name] as const,
  ),
  ['api_key', 'apiKey'],
  ['user_name', 'userName'],
]);

const NUMBER_FIELDS = ['phoneNumber', 'phoneNumberNew'] as const;

/**
 * How sure a key is to mean its canonical field: the documented spelling, then the v2 sample
 * body's `phoneNameNew`, then any other casing or alias. The surer key wins, whatever the order.
 */
function rankOf(key: string, canonical: string): number {
  if (key === canonical) return 2;
  return key === 'phoneNameNew' ? 1 : 0;
}

/**
 * Maps v1 request parameters (already merged the way PHP's $_REQUEST merges query and body) to an
 * operation. Parameter names are read in any case (`APIKEY`, `phonenumber`, `assignskill`) and
 * with the sibling endpoints' aliases, the documented spelling winning. A number field that
 * arrives as " 9198..." was a raw + read as a space by the URL decoder: the + is restored (v1
 * refused such a number, so no record holds it mangled). A name is not restored: v1 stored
 * "+Desk" glued by hand as "Desk", and the client's later edits and deletes send it the same way
 * (docs/decisions.md). Skills are split on commas, untrimmed (validation trims).
 */
export function fromV1Params(params: Readonly<Record<string, string>>): V1Params {
  const quirks = new Set<V1Quirk>();
  const p: Record<string, string> = Object.create(null);
  const rank = new Map<string, number>();
  for (const [key, value] of Object.entries(params)) {
    const canonical = CANONICAL.get(key.toLowerCase());
    if (canonical === undefined) {
      p[key] ??= value;
      continue;
    }
    const r = rankOf(key, canonical);
    if (r === 1) quirks.add('lowercase-new-name-key');
    else if (r === 0) quirks.add('alias-key');
    if ((rank.get(canonical) ?? -1) < r) {
      rank.set(canonical, r);
      p[canonical] = value;
    }
  }
  for (const field of NUMBER_FIELDS) {
    const v = p[field];
    if (v !== undefined && /^ \d+$/.test(v)) {
      p[field] = `+${v.slice(1)}`;
      quirks.add('plus-as-space');
    }
  }
  const phoneNameNew = p.PhoneNameNew;
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
