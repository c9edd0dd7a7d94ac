import type { PhoneAction } from './operation.js';
import {
  DEFAULT_MAX_PHONE_DIGITS,
  HEADER_SAFE,
  MAX_EXISTING_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SKILL_LENGTH,
  MAX_USERNAME_LENGTH,
  MIN_NAME_LENGTH,
  MIN_PHONE_DIGITS,
  NAME_CHARACTERS,
  NAME_ENDS,
  RULES,
  phoneNumberRules,
  type Rule,
} from './rules.js';

/**
 * Each field's rule, once, as data: the checks a text value goes through, in order. Two readers:
 * `schemas.ts` turns each list into a zod/mini schema (the exported schemas, the OpenAPI
 * document), and `checkText` below runs it directly, which is what validation does on every call
 * (about a tenth of a zod parse, and a bundle that only validates carries no zod objects).
 *
 * A check: `trim` (the value from there on is trimmed), a length bound, or a pattern, each with the
 * rule it enforces. `type` is the rule a value that is not a string breaks.
 */
export type TextCheck = readonly ['trim'] | readonly ['min' | 'max', number, Rule] | readonly ['regex', RegExp, Rule];

export interface TextRule {
  type: Rule;
  checks: readonly TextCheck[];
}

const TRIM: TextCheck = ['trim'];
const text = (...checks: TextCheck[]): TextRule => ({ type: RULES.notString, checks });

/** A new name (create, edit's phoneNameNew): the vendor's name rule. Names compare case-insensitively. */
export const PHONE_NAME = text(
  TRIM,
  ['min', MIN_NAME_LENGTH, RULES.nameLength],
  ['max', MAX_NAME_LENGTH, RULES.nameLength],
  ['regex', NAME_CHARACTERS, RULES.nameCharacters],
  ['regex', NAME_ENDS, RULES.nameEnds],
);

/**
 * An existing name that an edit, delete or get refers to. Old records may predate the name rule
 * (a space, a trailing dot), so it is held only to what identifying it needs. Not trimmed: the
 * spaces may be part of the stored name.
 */
export const EXISTING_PHONE_NAME = text(
  ['regex', /\S/, RULES.existingNameFormat],
  ['max', MAX_EXISTING_LENGTH, RULES.existingNameFormat],
  ['regex', /^[^\r\n\t\0]*$/, RULES.existingNameFormat],
);

/** An existing number: the server rejects anything non-numeric, so that much is checked. */
export const EXISTING_PHONE_NUMBER = text(TRIM, ['regex', new RegExp(`^\\+?\\d{1,${MAX_EXISTING_LENGTH}}$`), RULES.existingNumberFormat]);

/** A new number (create, edit's phoneNumberNew): 3 to `maxDigits` digits with an optional leading +. */
export function newPhoneNumber(maxDigits: number = DEFAULT_MAX_PHONE_DIGITS): TextRule {
  return text(TRIM, ['regex', new RegExp(`^\\+?\\d{${MIN_PHONE_DIGITS},${maxDigits}}$`), phoneNumberRules(maxDigits).format]);
}

export const PHONE_NUMBER = newPhoneNumber();

/** One skill name. An empty name or a comma inside a name is an error rather than something silently dropped. */
export const SKILL = text(TRIM, ['min', 1, RULES.skillEmpty], ['regex', /^[^,]*$/, RULES.skillComma], ['max', MAX_SKILL_LENGTH, RULES.skillLength]);

/** No white space or control characters: a user name is a label in logs and metrics as well. */
export const USER_NAME = text(TRIM, ['min', 1, RULES.userName], ['max', MAX_USERNAME_LENGTH, RULES.userName], ['regex', /^[^\s\x00-\x1f\x7f]*$/, RULES.userName]);

/** Header-safe: the key is sent as the `apiKey` header (v2) and must be buildable into one. */
export const API_KEY: TextRule = { type: RULES.apiKey, checks: [['regex', HEADER_SAFE, RULES.apiKey]] };
export const TOKEN: TextRule = { type: RULES.token, checks: [['regex', HEADER_SAFE, RULES.token]] };

/** A field of an operation: a text rule, or `list` (skills: a list of SKILL names). */
export interface FieldRule {
  rule: TextRule | 'list';
  optional: boolean;
}

export type OperationRules = Readonly<Record<PhoneAction, Readonly<Record<string, FieldRule>>>>;

const required = (rule: TextRule | 'list'): FieldRule => ({ rule, optional: false });
const optional = (rule: TextRule | 'list'): FieldRule => ({ rule, optional: true });

/** Each action's fields besides `action`, in the order they are checked (and reported). */
export function operationRules(maxDigits: number = DEFAULT_MAX_PHONE_DIGITS): OperationRules {
  const newNumber = maxDigits === DEFAULT_MAX_PHONE_DIGITS ? PHONE_NUMBER : newPhoneNumber(maxDigits);
  return {
    create: { phoneNumber: required(newNumber), phoneName: required(PHONE_NAME), skill: optional('list') },
    edit: {
      phoneNumber: required(EXISTING_PHONE_NUMBER),
      phoneName: required(EXISTING_PHONE_NAME),
      /** Starred on the vendor page; when left out it defaults to the existing number (a rename). */
      phoneNumberNew: optional(newNumber),
      phoneNameNew: optional(PHONE_NAME),
      assignSkill: optional('list'),
      unAssignSkill: optional('list'),
    },
    delete: { phoneNumber: required(EXISTING_PHONE_NUMBER), phoneName: required(EXISTING_PHONE_NAME) },
    get: { phoneNumber: optional(EXISTING_PHONE_NUMBER), phoneName: optional(EXISTING_PHONE_NAME) },
  };
}

/** The checked (trimmed) text, or the first rule it breaks. */
export function checkText(value: unknown, textRule: TextRule): { ok: true; value: string } | { ok: false; rule: Rule } {
  if (typeof value !== 'string') return { ok: false, rule: textRule.type };
  let out = value;
  for (const check of textRule.checks) {
    if (check[0] === 'trim') out = out.trim();
    else if (check[0] === 'regex' ? !check[1].test(out) : check[0] === 'min' ? out.length < check[1] : out.length > check[1]) return { ok: false, rule: check[2] };
  }
  return { ok: true, value: out };
}
