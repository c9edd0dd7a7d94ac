import * as z from 'zod/mini';
import { checkBaseUrl, type BaseUrlOptions } from './base-url.js';

/**
 * The one way our apps check their configuration (the edge's and the shim's environment, the CLI's
 * flags, variables and profiles): a zod/mini schema per variable, every variable checked, every
 * issue returned (an operator fixing a deployment sees all of it at once, not one per restart),
 * each naming the variable and the rule and never the value: a value may be an API key.
 */
export interface ConfigIssue {
  /** The variable, flag or field as the person wrote it: `SHIM_TIMEOUT_MS`, `--edge-url`. */
  variable: string;
  /** A stable id for the rule it breaks (`whole-number`, `one-of`, `base-url-https`...). */
  rule: string;
  /** `<variable> <what it must be>`: never the value. */
  message: string;
}

/** What a variable must be: a zod/mini schema for its raw value, and the rule it breaks otherwise. */
export interface ConfigRule {
  schema: z.ZodMiniType;
  rule: string;
  /** What the value must be, said without the value ("must be a whole number from 1 to 35"). */
  message: string;
  /** A sharper rule for a value the schema refused (core's base-URL rules say which part is wrong). */
  explain?: (value: unknown) => { rule: string; message: string } | undefined;
  /** The variable must be given: absent, empty or blank is the issue `required` ("X is required and must be ..."). */
  required?: boolean;
}

/**
 * Checks each variable present in `values` (absent, empty and blank ones are the caller's defaults,
 * unless the rule is `required`) against its rule, and returns every issue, in the order of
 * `rules`. A message never holds the value: an `explain` message that quotes it gives way to the
 * rule's own. `within` names the entry whose fields `values` are (`TEAMS[0].`): an issue then names
 * `TEAMS[0].name`, as the operator finds it in the variable.
 */
export function checkConfig(values: Readonly<Record<string, unknown>>, rules: Readonly<Record<string, ConfigRule>>, within = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [field, rule] of Object.entries(rules)) {
    const variable = within + field;
    const value = Object.hasOwn(values, field) ? values[field] : undefined;
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      if (rule.required) issues.push({ variable, rule: 'required', message: `${variable} is required and ${rule.message}` });
      continue;
    }
    if (rule.schema.safeParse(value).success) continue;
    const own = rule.explain?.(value);
    const quotes = own !== undefined && typeof value === 'string' && own.message.includes(value.trim());
    const chosen = own && !quotes ? own : rule;
    issues.push({ variable, rule: chosen.rule, message: `${variable} ${chosen.message}` });
  }
  return issues;
}

/**
 * The test as a zod check: a plain check function (zod's own lower-level form of a refinement)
 * rather than z.refine, whose machinery would be a Worker's only use of it (about 0.1 KB gzip).
 * checkConfig reads only whether the value passed, so the issue says nothing more.
 */
function passes<T>(test: (value: T) => boolean): z.core.CheckFn<T> {
  return (payload) => {
    if (!test(payload.value)) payload.issues.push({ code: 'custom', input: payload.value });
  };
}

/** A string the test accepts (it sees the value as given; trim inside if blanks do not count). */
export function textRule(rule: string, message: string, test: (value: string) => boolean): ConfigRule {
  return { schema: z.string().check(passes(test)), rule, message };
}

/** Any value the test accepts: a JSON var may be a number, a list or an object, not only a string. */
export function valueRule(rule: string, message: string, test: (value: unknown) => boolean): ConfigRule {
  return { schema: z.unknown().check(passes(test)), rule, message };
}

/** A whole number from `min` to `max` (no upper bound by default), as a string (an environment variable) or a number (a JSON var). */
export function wholeNumberRule(min: number, max = Number.POSITIVE_INFINITY): ConfigRule {
  // unknown and a refine rather than a union and a pipe: the fewer zod parts, the smaller a Worker.
  return valueRule('whole-number', max === Number.POSITIVE_INFINITY ? `must be a whole number, ${min} or more` : `must be a whole number from ${min} to ${max}`, (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    return Number.isInteger(n) && n >= min && n <= max;
  });
}

/** One of the given words (compared trimmed and in lower case). */
export function oneOfRule(allowed: readonly string[]): ConfigRule {
  return textRule('one-of', `must be one of ${allowed.join(', ')}`, (v) => allowed.includes(v.trim().toLowerCase()));
}

/** The example checkBaseUrl's messages show. */
const CLOUDAGENT_EXAMPLE = 'https://in1-ccaas-api.ozonetel.com';

/**
 * Core's one base-URL rule (checkBaseUrl), naming which part of it the value breaks. `example` is
 * the URL the message shows: CloudAgent's host by default, the caller's own kind of server otherwise
 * (a shim's URL is not CloudAgent's).
 */
export function baseUrlRule(options: BaseUrlOptions = {}, example = CLOUDAGENT_EXAMPLE): ConfigRule {
  const check = (v: unknown) => checkBaseUrl(String(v).trim(), options);
  return {
    ...textRule('base-url-format', `must be an absolute https URL such as ${example}`, (v) => check(v).ok),
    explain: (v) => {
      const checked = check(v);
      return checked.ok ? undefined : { rule: checked.rule, message: checked.message.replaceAll(CLOUDAGENT_EXAMPLE, example) };
    },
  };
}
