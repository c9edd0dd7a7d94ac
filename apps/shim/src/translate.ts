import { fromV1Params, validateCredentials, validateOperation, vendorRejection, type ApiKeyCredentials, type PhoneOperation } from '@cloudagent-phone/core';
import type { ShimQuirk, TranslationMismatch } from './quirks.js';
import { vendorAnswer, type V1Answer } from './v1-answer.js';

type Mutation = 'create' | 'edit' | 'delete';

export type Translation =
  | {
      ok: true;
      action: Mutation;
      operation: PhoneOperation;
      credentials: ApiKeyCredentials;
      quirks: ShimQuirk[];
      mismatches: TranslationMismatch[];
      /** A skill list had an empty entry, dropped before sending: v1 called that a skills failure. */
      skillsDropped: boolean;
    }
  | {
      ok: false;
      /** What v1 would have answered (or, marked `v1Message: false`, the shim's nearest words). */
      answer: V1Answer;
      /** The action as sent, when it was one of v1's, for metrics. */
      action: string;
      userName?: string;
      quirks: ShimQuirk[];
      mismatches: TranslationMismatch[];
    };

/** The parameters each action reads; anything else was ignored by v1 and is ignored here. */
const READS: Record<Mutation, readonly string[]> = {
  create: ['phoneNumber', 'phoneName', 'skill'],
  edit: ['phoneNumber', 'phoneName', 'phoneNumberNew', 'phoneNameNew', 'assignSkill', 'unAssignSkill'],
  delete: ['phoneNumber', 'phoneName'],
};

/** A Map: parameter names are caller input (`constructor` must not find Object's own). */
const CANONICAL: ReadonlyMap<string, string> = new Map([
  ['apikey', 'apiKey'],
  ['api_key', 'apiKey'],
  ['username', 'userName'],
  ['user_name', 'userName'],
  ['action', 'action'],
  ['phonenumber', 'phoneNumber'],
  ['phonename', 'phoneName'],
  ['phonenumbernew', 'phoneNumberNew'],
  ['phonenamenew', 'phoneNameNew'],
  ['assignskill', 'assignSkill'],
  ['unassignskill', 'unAssignSkill'],
  ['skill', 'skill'],
]);

/** The v1 parameter names the shim knows (canonical spellings): the only ones worth keeping in a log. */
export function canonicalV1Name(key: string): string | undefined {
  return CANONICAL.get(key.toLowerCase()) ?? (key === 'PhoneNameNew' ? 'phoneNameNew' : undefined);
}

const isMutation = (a: string): a is Mutation => a === 'create' || a === 'edit' || a === 'delete';
const blank = (v: string | undefined) => v === undefined || v.trim() === '';

function cleanSkills(list: string[] | undefined): { skills?: string[]; dropped: boolean } {
  if (list === undefined) return { dropped: false };
  const kept = list.map((s) => s.trim()).filter((s) => s !== '');
  return { ...(kept.length > 0 ? { skills: kept } : {}), dropped: kept.length !== list.length };
}

/**
 * Turns v1 parameters (already merged as $_REQUEST) into a validated v2 operation, or into the answer
 * v1 would have given without touching anything. Order, as v1: credentials present, action, then the
 * fields. Pure.
 */
export function translateV1(params: Readonly<Record<string, string>>, seen: { quirks: ShimQuirk[]; mismatches: TranslationMismatch[] }): Translation {
  const v1 = fromV1Params(params);
  const quirks = new Set<ShimQuirk>([...seen.quirks, ...v1.quirks]);
  const mismatches = new Set<TranslationMismatch>(seen.mismatches);
  const action = typeof v1.operation.action === 'string' ? v1.operation.action : '';
  const fail = (answer: V1Answer): Translation => ({
    ok: false,
    answer,
    action: isMutation(action) ? action : 'invalid',
    ...(v1.userName !== undefined ? { userName: v1.userName } : {}),
    quirks: [...quirks],
    mismatches: [...mismatches],
  });

  if (blank(v1.userName) || blank(v1.apiKey)) return fail(vendorAnswer('authInvalid', 'rejected-locally'));
  const credentials = validateCredentials({ userName: v1.userName, apiKey: v1.apiKey });
  // A user name with spaces or a key with spaces cannot be valid: v1 said so in these words.
  if (!credentials.ok) return fail(vendorAnswer('authInvalid', 'rejected-locally'));
  // v1 has no `get`: it answered "action not valid", and so does its door.
  if (!isMutation(action)) return fail(vendorAnswer('actionInvalid', 'rejected-locally'));

  for (const key of Object.keys(params)) {
    const canonical = CANONICAL.get(key.toLowerCase()) ?? key;
    if (canonical !== 'apiKey' && canonical !== 'userName' && canonical !== 'action' && !READS[action].includes(canonical)) {
      mismatches.add('unused-parameter');
    }
  }

  const op = v1.operation;
  const rejection = vendorRejection(action, op);
  if (rejection) return fail(vendorAnswer(rejection, 'rejected-locally'));

  const operation: Record<string, unknown> = { action };
  let skillsDropped = false;
  for (const field of READS[action]) {
    const value = (op as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const { skills, dropped } = cleanSkills(value as string[]);
      if (dropped) {
        skillsDropped = true;
        quirks.add('empty-skill');
      }
      if (skills) operation[field] = skills;
    } else if ((field === 'phoneNumberNew' || field === 'phoneNameNew') && blank(value as string)) {
      // v1 read an empty new number or name as "unchanged".
      continue;
    } else {
      operation[field] = typeof value === 'string' && field !== 'phoneNumber' && field !== 'phoneNumberNew' ? value.trim() : value;
    }
  }

  const validated = validateOperation(operation);
  if (!validated.ok) {
    // Rules v1 did not have (an edit that changes nothing, a skill both assigned and unassigned):
    // refused before sending, in core's words, inside v1's envelope.
    mismatches.add('no-v1-message');
    const message = validated.issues.map((i) => i.message).join('; ');
    return fail({ httpStatus: 200, status: 'error', message, outcome: 'rejected-locally', v1Message: false });
  }
  return {
    ok: true,
    action,
    operation: validated.value,
    credentials: credentials.value as ApiKeyCredentials,
    quirks: [...quirks],
    mismatches: [...mismatches],
    skillsDropped,
  };
}
