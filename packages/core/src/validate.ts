import { API_KEY, SKILL, TOKEN, USER_NAME, checkText, operationRules, type FieldRule, type TextRule } from './field-rules.js';
import { PHONE_ACTIONS, type Credentials, type PhoneAction, type PhoneOperation } from './operation.js';
import { RULES, type Rule, type RuleOptions } from './rules.js';

/** One thing wrong with the input: which field, which rule (a stable id), and what to do about it. */
export interface ValidationIssue {
  field: string;
  rule: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Vendor spellings people type by habit, mapped to the field this schema reads. */
/** A Map: a body key such as `constructor` must not find Object's own members. @internal (also read by the parity test's oracle) */
export const SPELLING_HINTS: ReadonlyMap<string, string> = new Map([
  ['PhoneNameNew', 'phoneNameNew'],
  ['phonenumber', 'phoneNumber'],
  ['phonename', 'phoneName'],
  ['skills', 'skill'],
  ['unassignSkill', 'unAssignSkill'],
]);

/** An own field's value: an inherited one counts as absent (the field "is required"). */
const own = (v: object, key: PropertyKey): unknown => (Object.hasOwn(v, key) ? (v as Record<PropertyKey, unknown>)[key] : undefined);

const DEFAULT_RULES = /* @__PURE__ */ operationRules();

/**
 * Checks `input`'s fields against one action's rules: the first rule each field breaks (fields in
 * the order of the rules), then every field the action does not have. A field is read as `input`
 * gives it (inherited ones too); one that is not there, or not its own, and must be "is required".
 */
function checkFields(input: Record<string, unknown>, fields: Readonly<Record<string, FieldRule>>): Validated<Record<string, unknown>> {
  const out: Record<string, unknown> = { action: input.action };
  const issues: ValidationIssue[] = [];
  const report = (field: string, rule: Rule) => issues.push({ field, rule: rule.id, message: `${field} ${rule.message}` });
  // for-in: the rules are our own plain objects (no inherited fields), and no array of names per call.
  for (const key in fields) {
    const { rule, optional } = fields[key] as FieldRule;
    const value = input[key];
    if (value === undefined && optional) continue;
    if (rule !== 'list') {
      const checked = checkText(value, rule);
      if (checked.ok) out[key] = checked.value;
      else report(key, typeof value !== 'string' && own(input, key) === undefined ? RULES.required : checked.rule);
    } else if (!Array.isArray(value)) {
      report(key, own(input, key) === undefined ? RULES.required : RULES.skillType);
    } else {
      const names: string[] = [];
      let broken: Rule | undefined;
      for (let i = 0; i < value.length && !broken; i++) {
        const checked = checkText(value[i], SKILL);
        if (checked.ok) names.push(checked.value);
        else broken = typeof value[i] !== 'string' && own(value, i) === undefined ? RULES.required : checked.rule;
      }
      if (broken) report(key, broken);
      else out[key] = names;
    }
  }
  for (const key in input) {
    if (key === 'action' || Object.hasOwn(fields, key)) continue;
    const hint = SPELLING_HINTS.get(key);
    issues.push({ field: key, rule: RULES.unknownField.id, message: `${key} ${RULES.unknownField.message}${hint ? ` (did you mean ${hint}?)` : ''}` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}

const SKILL_FIELDS = ['assignSkill', 'unAssignSkill', 'skill'] as const;

/** Skills arrive as a list or, as people type them and the vendor sends them, one "A,B" string. */
/** @internal (also run by the parity test's oracle) */
export function splitSkillStrings(input: Record<string, unknown>): Record<string, unknown> {
  let out = input;
  for (const key of SKILL_FIELDS) {
    const value = input[key];
    if (typeof value === 'string') {
      if (out === input) out = { ...input };
      out[key] = value.split(',');
    }
  }
  return out;
}

function dedupeCaseInsensitive(skills: string[]): string[] {
  // One skill (what most rows of a bulk file carry) has nothing to repeat: no set, no copy.
  if (skills.length < 2) return skills;
  const seen = new Set<string>();
  return skills.filter((s) => {
    const key = s.toLowerCase();
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function sameSkill(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Validates and normalises one operation against the vendor's rules: trims, splits and
 * de-duplicates skills, and fills an edit's phoneNumberNew from phoneNumber when it is left out.
 * The result is what the encoders expect. Never throws.
 */
export function validateOperation(input: unknown, options: RuleOptions = {}): Validated<PhoneOperation> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ field: 'input', rule: 'type-object', message: 'input must be an object of operation fields' }] };
  }
  const action = (input as { action?: unknown }).action;
  if (typeof action !== 'string' || !PHONE_ACTIONS.includes(action as PhoneAction)) {
    return { ok: false, issues: [{ field: 'action', rule: RULES.action.id, message: `action ${RULES.action.message}` }] };
  }
  const rules = options.maxPhoneDigits ? operationRules(options.maxPhoneDigits) : DEFAULT_RULES;
  if (rules === DEFAULT_RULES && validated.has(input)) return { ok: true, value: input as PhoneOperation };
  const parsed = checkFields(splitSkillStrings(input as Record<string, unknown>), rules[action as PhoneAction]);
  if (!parsed.ok) return parsed;

  const finished = finishOperation(parsed.value as unknown as PhoneOperation);
  if (finished.ok && rules === DEFAULT_RULES) remember(finished.value);
  return finished;
}

/**
 * Operations this function returned under the default rules, frozen (skill lists too): given one
 * again under the same rules (a bulk runner validates a row, then the client checks what it is
 * asked to send), the answer is known without checking it again, since nothing can have changed
 * it. Other rules (`maxPhoneDigits`) neither remember nor trust it: they check every time.
 */
const validated = new WeakSet<object>();

function remember(op: PhoneOperation): void {
  for (const key of SKILL_FIELDS) if (op[key]) Object.freeze(op[key]);
  validated.add(Object.freeze(op));
}

/**
 * The checks across fields and the normal form, once every field has passed its own rules.
 * @internal (the parity test's oracle runs it after the zod schemas, so only the field step differs)
 */
export function finishOperation(op: PhoneOperation): Validated<PhoneOperation> {
  for (const key of SKILL_FIELDS) if (op[key]) op[key] = dedupeCaseInsensitive(op[key]);
  const issues: ValidationIssue[] = [];
  if (op.action === 'get' && op.phoneNumber === undefined && op.phoneName === undefined) {
    issues.push({ field: 'phoneNumber', rule: RULES.getNeedsKey.id, message: RULES.getNeedsKey.message });
  }
  if (op.action === 'edit') {
    op.phoneNumberNew ??= op.phoneNumber;
    const assign = op.assignSkill ?? [];
    const unassign = op.unAssignSkill ?? [];
    const both = assign.filter((a) => unassign.some((u) => sameSkill(a, u)));
    if (both.length > 0) {
      issues.push({
        field: 'unAssignSkill',
        rule: RULES.skillBothWays.id,
        message: `unAssignSkill ${RULES.skillBothWays.message} (${both.join(', ')})`,
      });
    }
    const changesNothing =
      op.phoneNumberNew === op.phoneNumber &&
      (op.phoneNameNew === undefined || op.phoneNameNew === op.phoneName) &&
      assign.length === 0 &&
      unassign.length === 0;
    if (changesNothing) {
      issues.push({ field: 'phoneNumberNew', rule: RULES.editNoChange.id, message: RULES.editNoChange.message });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: canonical(op) };
}

/** Drops empty and absent fields and fixes the key order, so equal operations encode identically. */
function canonical(op: PhoneOperation): PhoneOperation {
  const out: PhoneOperation = { action: op.action };
  const keys = ['phoneNumber', 'phoneName', 'phoneNumberNew', 'phoneNameNew', 'assignSkill', 'unAssignSkill', 'skill'] as const;
  for (const key of keys) {
    const value = op[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) (out as unknown as Record<string, unknown>)[key] = value;
    } else {
      (out as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** How a credentials field is read against its rule: `checkText`, or the zod schema built from the rule. */
type ReadText = (value: unknown, textRule: TextRule) => { ok: true; value: string } | { ok: false };

/** Validates `{ userName, apiKey }` or `{ userName, token }` (exactly one of the two secrets). */
export function validateCredentials(input: unknown): Validated<Credentials> {
  return checkCredentials(input, checkText);
}

/**
 * validateCredentials, each field read by `read`.
 * @internal (the parity test's oracle passes the zod schemas' parse, so only the field checks differ)
 */
export function checkCredentials(input: unknown, read: ReadText): Validated<Credentials> {
  if (typeof input !== 'object' || input === null) {
    return { ok: false, issues: [{ field: 'credentials', rule: RULES.credentials.id, message: `credentials ${RULES.credentials.message}` }] };
  }
  const { userName, apiKey, token } = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const report = (field: string, rule: Rule, message = `${field} ${rule.message}`) => issues.push({ field, rule: rule.id, message });
  const user = read(userName, USER_NAME);
  if (!user.ok) report('userName', userName === undefined ? RULES.required : RULES.userName);
  if (apiKey === undefined && token === undefined) report('apiKey', RULES.required, 'apiKey is required (or token, for TOKEN_AUTH accounts)');
  else if (apiKey !== undefined && token !== undefined) report('apiKey', RULES.credentials, `credentials ${RULES.credentials.message}`);
  else if (apiKey !== undefined && !read(apiKey, API_KEY).ok) report('apiKey', RULES.apiKey);
  else if (token !== undefined && !read(token, TOKEN).ok) report('token', RULES.token);
  if (issues.length > 0 || !user.ok) return { ok: false, issues };
  return {
    ok: true,
    value: apiKey !== undefined ? { userName: user.value, apiKey: apiKey as string } : { userName: user.value, token: token as string },
  };
}

/** One line per issue, for error messages: "phoneNumberNew must be 3 to 17 digits, ...". */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => i.message).join('; ');
}
