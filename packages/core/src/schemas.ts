import * as z from 'zod/mini';
import {
  API_KEY,
  EXISTING_PHONE_NAME,
  EXISTING_PHONE_NUMBER,
  PHONE_NAME,
  SKILL,
  TOKEN,
  USER_NAME,
  newPhoneNumber,
  type TextRule,
} from './field-rules.js';
import { DEFAULT_MAX_PHONE_DIGITS, RULES, type RuleOptions } from './rules.js';

// zod/mini, not classic zod: the same schemas as functions, which tree-shake. Classic zod costs
// about 90 KB gzip in a Worker bundle. Within mini, only checks (trim, regex, lengths) are used, no
// pipes, transforms or unions: each of those pulls in more of zod, and core's budget is 10 KB.
// What a check cannot say (splitting comma-separated skills, de-duplicating, cross-field rules)
// validate.ts does around the parse.
//
// Every schema here is built from the rules in field-rules.ts, which validation runs itself: the
// schemas are for callers that compose them (and the OpenAPI document). Built by calls marked pure,
// so a bundle that only validates leaves them, and zod's object and array code, out.

/** A zod/mini string schema running the same checks, in the same order, as `checkText`. */
function zodText(rule: TextRule) {
  return z.string(rule.type.message).check(
    ...rule.checks.map((check) =>
      check[0] === 'trim'
        ? z.trim()
        : check[0] === 'regex'
          ? z.regex(check[1], check[2].message)
          : check[0] === 'min'
            ? z.minLength(check[1], check[2].message)
            : z.maxLength(check[1], check[2].message),
    ),
  );
}

/** A new name (create, edit's phoneNameNew): the vendor's name rule. Names compare case-insensitively. */
export const phoneNameSchema = /* @__PURE__ */ zodText(PHONE_NAME);

/** An existing name that an edit, delete or get refers to (not trimmed: see field-rules.ts). */
export const existingPhoneNameSchema = /* @__PURE__ */ zodText(EXISTING_PHONE_NAME);

/** An existing number: the server rejects anything non-numeric, so that much is checked. */
export const existingPhoneNumberSchema = /* @__PURE__ */ zodText(EXISTING_PHONE_NUMBER);

export function createPhoneNumberSchema(maxDigits: number = DEFAULT_MAX_PHONE_DIGITS) {
  return zodText(newPhoneNumber(maxDigits));
}

/** A new number (create, edit's phoneNumberNew): 3 to 17 digits with an optional leading +. */
export const phoneNumberSchema = /* @__PURE__ */ createPhoneNumberSchema();

/**
 * Skills as a list of names. (validateOperation also takes one comma-separated string, splits it
 * and de-duplicates case-insensitively.) An empty name or a comma inside a name is an error rather
 * than something silently dropped.
 */
export const skillsSchema = /* @__PURE__ */ z.array(zodText(SKILL), RULES.skillType.message);

export const userNameSchema = /* @__PURE__ */ zodText(USER_NAME);

/** Header-safe: the key is sent as the `apiKey` header (v2) and must be buildable into one. */
export const apiKeySchema = /* @__PURE__ */ zodText(API_KEY);
export const tokenSchema = /* @__PURE__ */ zodText(TOKEN);

/**
 * The operations as zod/mini objects, field for field the shapes of `operationRules` (written out
 * here for their precise types; schemas.test.ts holds the two to the same fields, and validate's
 * parity test to the same answers).
 */
export function createOperationSchemas(options: RuleOptions = {}) {
  const newNumber =
    options.maxPhoneDigits && options.maxPhoneDigits !== DEFAULT_MAX_PHONE_DIGITS
      ? createPhoneNumberSchema(options.maxPhoneDigits)
      : phoneNumberSchema;

  const create = z.strictObject({
    action: z.literal('create'),
    phoneNumber: newNumber,
    phoneName: phoneNameSchema,
    skill: z.optional(skillsSchema),
  });

  const edit = z.strictObject({
    action: z.literal('edit'),
    phoneNumber: existingPhoneNumberSchema,
    phoneName: existingPhoneNameSchema,
    /** Starred on the vendor page; when left out it defaults to the existing number (a rename). */
    phoneNumberNew: z.optional(newNumber),
    phoneNameNew: z.optional(phoneNameSchema),
    assignSkill: z.optional(skillsSchema),
    unAssignSkill: z.optional(skillsSchema),
  });

  const del = z.strictObject({
    action: z.literal('delete'),
    phoneNumber: existingPhoneNumberSchema,
    phoneName: existingPhoneNameSchema,
  });

  const get = z.strictObject({
    action: z.literal('get'),
    phoneNumber: z.optional(existingPhoneNumberSchema),
    phoneName: z.optional(existingPhoneNameSchema),
  });

  return { create, edit, delete: del, get };
}

export const operationSchemas = /* @__PURE__ */ createOperationSchemas();
