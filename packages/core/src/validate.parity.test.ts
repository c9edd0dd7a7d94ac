import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_KEY, operationRules, TOKEN, USER_NAME, type TextRule } from './field-rules.js';
import { PHONE_ACTIONS, type Credentials, type PhoneAction, type PhoneOperation } from './operation.js';
import { RULES, phoneNumberRules, type Rule, type RuleOptions } from './rules.js';
import { apiKeySchema, createOperationSchemas, operationSchemas, tokenSchema, userNameSchema } from './schemas.js';
import { checkCredentials, finishOperation, SPELLING_HINTS, splitSkillStrings, validateCredentials, validateOperation, type Validated, type ValidationIssue } from './validate.js';

// validateOperation and validateCredentials run the rules of field-rules.ts themselves; the
// exported zod/mini schemas are built from the same rules. This holds the two readers to the same
// answers: the oracle below is validation as it was done with the schemas (zod's issues mapped to
// rules by their message), and every input, valid or not, must get exactly the same result.

// ---- the oracle: validation through the zod schemas -------------------------------------------
interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

// Built by a call marked pure (as ERROR_MESSAGES in classify.ts), so a bundle that takes only
// formatIssues or validateCredentials from this module leaves the table out.
function rulesByMessage(): ReadonlyMap<string, Rule> {
  return new Map([...Object.values(RULES), ...Object.values(phoneNumberRules(16)), ...Object.values(phoneNumberRules(17))].map((r) => [r.message, r]));
}

const ruleByMessage = /* @__PURE__ */ rulesByMessage();

/** The value at a zod issue's path in what was parsed (zod/mini does not report the input itself). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function toIssues(zodIssues: readonly ZodIssueLike[], input: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seenFields = new Set<string>();
  for (const issue of zodIssues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys ?? []) {
        const hint = SPELLING_HINTS.get(key);
        out.push({
          field: key,
          rule: RULES.unknownField.id,
          message: `${key} ${RULES.unknownField.message}${hint ? ` (did you mean ${hint}?)` : ''}`,
        });
      }
      continue;
    }
    const field = issue.path.filter((p) => typeof p === 'string').join('.') || 'input';
    // One issue per field is what a person can act on; the first is the most basic one.
    if (seenFields.has(field)) continue;
    seenFields.add(field);
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    const rule = missing ? RULES.required : (ruleByMessage.get(issue.message) ?? { id: issue.code, message: issue.message });
    out.push({ field, rule: rule.id, message: `${field} ${rule.message}` });
  }
  return out;
}

/**
 * Validates and normalises one operation against the vendor's rules: trims, splits and
 * de-duplicates skills, and fills an edit's phoneNumberNew from phoneNumber when it is left out.
 * The result is what the encoders expect. Never throws.
 */
function zodValidateOperation(input: unknown, options: RuleOptions = {}): Validated<PhoneOperation> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ field: 'input', rule: 'type-object', message: 'input must be an object of operation fields' }] };
  }
  const action = (input as { action?: unknown }).action;
  if (typeof action !== 'string' || !PHONE_ACTIONS.includes(action as PhoneAction)) {
    return { ok: false, issues: [{ field: 'action', rule: RULES.action.id, message: `action ${RULES.action.message}` }] };
  }
  const schemas = options.maxPhoneDigits ? createOperationSchemas(options) : operationSchemas;
  const prepared = splitSkillStrings(input as Record<string, unknown>);
  const parsed = schemas[action as PhoneAction].safeParse(prepared);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error.issues as readonly ZodIssueLike[], prepared) };

  return finishOperation(parsed.data as PhoneOperation);
}

// The zod schema each credentials rule was built into.
const credentialSchemas = new Map<TextRule, typeof userNameSchema>([
  [USER_NAME, userNameSchema],
  [API_KEY, apiKeySchema],
  [TOKEN, tokenSchema],
]);

/** Validates `{ userName, apiKey }` or `{ userName, token }`: validateCredentials with each field read by its zod schema. */
function zodValidateCredentials(input: unknown): Validated<Credentials> {
  return checkCredentials(input, (value, textRule) => {
    const schema = credentialSchemas.get(textRule);
    if (!schema) throw new Error('a credentials rule without a schema');
    const parsed = schema.safeParse(value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
  });
}

// ---- the parity ---------------------------------------------------------------------------------

const number = fc.constantFrom('12', '123', '+9198765', ' 98765 ', '12345678901234567', '123456789012345678', '98a', '', ' ', '+', '1'.repeat(101));
const name = fc.constantFrom('Desk', ' Desk ', 'ab', 'a b', 'x.', '.x', 'Sales_North', 'a', '', ' ', 'a\nb', 'X'.repeat(51), 'Y'.repeat(101), '+Sales');
const skill = fc.constantFrom('General', 'QA', 'general', ' Sales ', '', ' ', 'A,B', 'S'.repeat(101));
const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.constant({}), fc.string({ maxLength: 4 }));
const text = fc.oneof({ weight: 6, arbitrary: fc.oneof(number, name) }, { weight: 1, arbitrary: anything });
const skills = fc.oneof(fc.array(fc.oneof({ weight: 5, arbitrary: skill }, { weight: 1, arbitrary: anything }), { maxLength: 3 }), skill, anything);
const fields = {
  action: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('create', 'edit', 'delete', 'get') }, { weight: 1, arbitrary: fc.constantFrom('Edit', 'list', '') }),
  phoneNumber: text,
  phoneName: text,
  phoneNumberNew: text,
  phoneNameNew: text,
  assignSkill: skills,
  unAssignSkill: skills,
  skill: skills,
  PhoneNameNew: name,
  skills: skill,
  __proto__: name,
  constructor: name,
};
const operation = fc.record(fields, { requiredKeys: [] });
/** Mostly well-formed operations of one action: most get past the field rules to the cross-field ones. */
const plausible = fc.oneof(
  fc.record({ action: fc.constant('create'), phoneNumber: number, phoneName: name, skill: skills }, { requiredKeys: ['action'] }),
  fc.record({ action: fc.constant('edit'), phoneNumber: number, phoneName: name, phoneNumberNew: number, phoneNameNew: name, assignSkill: skills, unAssignSkill: skills }, { requiredKeys: ['action'] }),
  fc.record({ action: fc.constant('delete'), phoneNumber: number, phoneName: name }, { requiredKeys: ['action'] }),
  fc.record({ action: fc.constant('get'), phoneNumber: number, phoneName: name }, { requiredKeys: ['action'] }),
);

describe('validation runs the same rules as the exported schemas', () => {
  it('gives every operation, valid or not, the answer validation through the schemas gives (property)', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(operation, plausible), fc.constantFrom<RuleOptions>({}, { maxPhoneDigits: 16 }, { maxPhoneDigits: 17 }), (input, options) => {
        // JSON round trip: a `__proto__` key as JSON.parse makes it (an own field), as bodies arrive.
        const body = JSON.parse(JSON.stringify(input)) as unknown;
        const expected = zodValidateOperation(body, options);
        if (expected.ok) valid++;
        expect(validateOperation(body, options)).toEqual(expected);
      }),
      { numRuns: 4000 },
    );
    expect(valid).toBeGreaterThan(200);
  });

  it('reads inherited fields as the schemas do, and calls them required', () => {
    const inherited = Object.create({ phoneName: 'Desk', phoneNumberNew: 12, assignSkill: 5 }) as Record<string, unknown>;
    Object.assign(inherited, { action: 'edit', phoneNumber: '123', phoneNameNew: 'Sales' });
    expect(validateOperation(inherited)).toEqual(zodValidateOperation(inherited));
    const holed = new Array<string>(3);
    holed[0] = 'A';
    holed[2] = 'B';
    const sparse = { action: 'edit', phoneNumber: '123', phoneName: 'Desk', assignSkill: holed };
    expect(validateOperation(sparse)).toEqual(zodValidateOperation(sparse));
    expect(validateOperation({ action: 'edit', phoneNumber: '123', phoneName: 'Desk', assignSkill: [undefined] })).toEqual(zodValidateOperation({ action: 'edit', phoneNumber: '123', phoneName: 'Desk', assignSkill: [undefined] }));
  });

  it('gives credentials the answer the schemas give (property)', () => {
    const value = fc.oneof(fc.constantFrom('acme', ' acme ', '', 'a b', 'u'.repeat(65), 'k-123456', 'key with space', 'ключ', 'eyJ.x.y'), anything);
    fc.assert(
      fc.property(fc.record({ userName: value, apiKey: value, token: value }, { requiredKeys: [] }), (input) => {
        expect(validateCredentials(input)).toEqual(zodValidateCredentials(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('has the schemas and the rules name the same fields, optional alike', () => {
    for (const maxPhoneDigits of [16, 17] as const) {
      const rules = operationRules(maxPhoneDigits);
      const schemas = createOperationSchemas({ maxPhoneDigits });
      for (const action of PHONE_ACTIONS) {
        const shape = schemas[action].shape as Record<string, { _zod: { optin?: string } }>;
        expect(Object.keys(shape)).toEqual(['action', ...Object.keys(rules[action])]);
        for (const [key, field] of Object.entries(rules[action])) expect(shape[key]?._zod.optin === 'optional', `${action}.${key}`).toBe(field.optional);
      }
    }
  });
});
