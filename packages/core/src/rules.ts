/**
 * The vendor's validation rules, each with an id (stable, for programs) and the words a user reads.
 *
 * Phone-number length: the create pages print "between 3 to 17 digits" in the error message but
 * "less than 3 digits or more than 16 digits" in the row label. We take 17, the figure in the string
 * the server actually sends back, and make it one option (`maxPhoneDigits`) for accounts that see 16.
 */
export interface RuleOptions {
  /** Longest phone number accepted for a new number, in digits (the vendor pages say 16 or 17). Default 17. */
  maxPhoneDigits?: 16 | 17;
}

export const DEFAULT_MAX_PHONE_DIGITS = 17;
export const MIN_PHONE_DIGITS = 3;
export const MIN_NAME_LENGTH = 2;
export const MAX_NAME_LENGTH = 50;
/** Identifying an existing record needs no more than this; longer input is a mistake, not a number. */
export const MAX_EXISTING_LENGTH = 100;
export const MAX_SKILL_LENGTH = 100;
/**
 * CloudAgent documents no bound on a user name; 64 is ours (docs/decisions.md): far above any real
 * account name, and small enough that anything keyed by caller-supplied names stays bounded.
 */
export const MAX_USERNAME_LENGTH = 64;
/**
 * A credential travels in an HTTP header: printable ASCII without spaces (0x21-0x7E). NUL, DEL, a
 * line break or a non-Latin-1 character would make building the request fail, so such a key is
 * refused before anything is built.
 */
export const HEADER_SAFE = /^[\x21-\x7e]+$/;
/** A name's characters: letters, digits and . , @ _ -, with an optional leading +. */
export const NAME_CHARACTERS = /^\+?[A-Za-z0-9.,@_-]*$/;
/** A name may not start or end with a special character (after the optional leading +). */
export const NAME_ENDS = /^\+?[A-Za-z0-9](?:.*[A-Za-z0-9])?$/;

export interface Rule {
  id: string;
  message: string;
}

function rule(id: string, message: string): Rule {
  return { id, message };
}

export function phoneNumberRules(maxDigits: number) {
  return {
    required: rule('required', 'is required'),
    format: rule(
      'phone-number-format',
      `must be ${MIN_PHONE_DIGITS} to ${maxDigits} digits, optionally starting with + (no spaces, dashes or letters)`,
    ),
  };
}

export const RULES = {
  required: rule('required', 'is required'),
  notString: rule('type-string', 'must be a string: put numbers in quotes (a JSON number loses the leading + and zeros)'),
  existingNumberFormat: rule(
    'existing-phone-number-format',
    'must be the existing number: digits, optionally starting with + (no spaces, dashes or letters)',
  ),
  existingNameFormat: rule(
    'existing-phone-name-format',
    `must be the existing name: not empty, at most ${MAX_EXISTING_LENGTH} characters, no line breaks`,
  ),
  nameLength: rule('phone-name-length', `must be ${MIN_NAME_LENGTH} to ${MAX_NAME_LENGTH} characters long`),
  nameCharacters: rule(
    'phone-name-characters',
    'may contain only letters, digits and . , @ _ - (and a leading +)',
  ),
  nameEnds: rule('phone-name-ends', 'cannot start or end with a special character (. , @ _ -)'),
  skillEmpty: rule('skill-empty', 'cannot contain an empty skill name'),
  skillComma: rule('skill-comma', 'cannot contain a skill name with a comma in it: commas separate skills, so give a list of names or one comma-separated string'),
  skillLength: rule('skill-length', `skill names must be at most ${MAX_SKILL_LENGTH} characters`),
  skillType: rule('skill-type', 'must be a list of skill names or one comma-separated string'),
  skillBothWays: rule('skill-assign-and-unassign', 'cannot both assign and unassign the same skill'),
  editNoChange: rule(
    'edit-no-change',
    'the edit changes nothing: give a new number, a new name, or skills to assign or unassign',
  ),
  getNeedsKey: rule('get-needs-number-or-name', 'give phoneNumber or phoneName to look up'),
  userName: rule('user-name', `must be the CloudAgent user name: 1 to ${MAX_USERNAME_LENGTH} characters, no spaces or control characters`),
  apiKey: rule('api-key', 'must be the API key as CloudAgent shows it: printable ASCII characters, no spaces or control characters'),
  token: rule('token', 'must be the token as CloudAgent issued it: printable ASCII characters, no spaces or control characters'),
  action: rule('action', 'must be one of create, edit, delete, get (lower case, as the API expects)'),
  credentials: rule('credentials', 'give either apiKey or token, not both'),
  unknownField: rule('unknown-field', 'is not a field of this action'),
} as const;
