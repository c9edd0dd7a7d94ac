import * as z from 'zod/mini';
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
  type RuleOptions,
} from './rules.js';

// zod/mini, not classic zod: the same schemas as functions, which tree-shake. Classic zod costs
// about 90 KB gzip in a Worker bundle. Within mini, only checks (trim, regex, lengths) are used, no
// pipes, transforms or unions: each of those pulls in more of zod, and core's budget is 10 KB.
// What a check cannot say (splitting comma-separated skills, de-duplicating, cross-field rules)
// validate.ts does around the parse.

const text = () => z.string(RULES.notString.message);

/** A new name (create, edit's phoneNameNew): the vendor's name rule. Names compare case-insensitively. */
export const phoneNameSchema = text().check(
  z.trim(),
  z.minLength(MIN_NAME_LENGTH, RULES.nameLength.message),
  z.maxLength(MAX_NAME_LENGTH, RULES.nameLength.message),
  z.regex(NAME_CHARACTERS, RULES.nameCharacters.message),
  z.regex(NAME_ENDS, RULES.nameEnds.message),
);

/**
 * An existing name that an edit, delete or get refers to. Old records may predate the name rule
 * (a space, a trailing dot), so it is held only to what identifying it needs. Not trimmed: the
 * spaces may be part of the stored name.
 */
export const existingPhoneNameSchema = text().check(
  z.regex(/\S/, RULES.existingNameFormat.message),
  z.maxLength(MAX_EXISTING_LENGTH, RULES.existingNameFormat.message),
  z.regex(/^[^\r\n\t\0]*$/, RULES.existingNameFormat.message),
);

/** An existing number: the server rejects anything non-numeric, so that much is checked. */
export const existingPhoneNumberSchema = text().check(
  z.trim(),
  z.regex(new RegExp(`^\\+?\\d{1,${MAX_EXISTING_LENGTH}}$`), RULES.existingNumberFormat.message),
);

export function createPhoneNumberSchema(maxDigits: number = DEFAULT_MAX_PHONE_DIGITS) {
  return text().check(
    z.trim(),
    z.regex(new RegExp(`^\\+?\\d{${MIN_PHONE_DIGITS},${maxDigits}}$`), phoneNumberRules(maxDigits).format.message),
  );
}

/** A new number (create, edit's phoneNumberNew): 3 to 17 digits with an optional leading +. */
export const phoneNumberSchema = createPhoneNumberSchema();

/**
 * Skills as a list of names. (validateOperation also takes one comma-separated string, splits it
 * and de-duplicates case-insensitively.) An empty name or a comma inside a name is an error rather
 * than something silently dropped.
 */
export const skillsSchema = z.array(
  text().check(
    z.trim(),
    z.minLength(1, RULES.skillEmpty.message),
    z.regex(/^[^,]*$/, RULES.skillComma.message),
    z.maxLength(MAX_SKILL_LENGTH, RULES.skillLength.message),
  ),
  RULES.skillType.message,
);

export const userNameSchema = text().check(
  z.trim(),
  z.minLength(1, RULES.userName.message),
  z.maxLength(MAX_USERNAME_LENGTH, RULES.userName.message),
  // No white space or control characters: a user name is a label in logs and metrics as well.
  z.regex(/^[^\s\x00-\x1f\x7f]*$/, RULES.userName.message),
);

/** Header-safe: the key is sent as the `apiKey` header (v2) and must be buildable into one. */
export const apiKeySchema = z.string(RULES.apiKey.message).check(z.regex(HEADER_SAFE, RULES.apiKey.message));
export const tokenSchema = z.string(RULES.token.message).check(z.regex(HEADER_SAFE, RULES.token.message));

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

export const operationSchemas = createOperationSchemas();
