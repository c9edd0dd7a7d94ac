import { normalizeMessage } from './classify.js';
import type { PhoneOperation } from './operation.js';
import { createOutcome, type Outcome, type PhoneRecord } from './outcome.js';

/**
 * Settling a mutation by looking, not by sending it again.
 *
 * `readBackLookups(op)` says which v2 `get` calls tell whether `op` took effect; the caller makes
 * them and hands the outcomes, in the same order, to `judgeReadBack`, and the judgement with the
 * original outcome to `settleByReadBack`. The same judgement recognises an edit that a user retried
 * after the first attempt landed (the second answer is "already exist", and the read-back shows the
 * state the edit asked for), and an "already exist" that really means the current name is wrong.
 *
 * `get` returns only number and name, so skills cannot be verified: `skillsUnverified` says so.
 */
export type ReadBackVerdict = 'applied' | 'not_applied' | 'unknown';

export interface ReadBackJudgement {
  verdict: ReadBackVerdict;
  /** The operation asked for skill changes that a read-back cannot see. */
  skillsUnverified: boolean;
  /**
   * Edit only: what the lookups saw at the operation's current number (`phoneNumber`): its record,
   * `absent`, or nothing when the lookups could not tell.
   */
  current?: PhoneRecord | 'absent';
}

export function readBackLookups(op: PhoneOperation): PhoneOperation[] {
  switch (op.action) {
    case 'create':
    case 'delete':
      return op.phoneNumber === undefined ? [] : [{ action: 'get', phoneNumber: op.phoneNumber }];
    case 'edit': {
      const after = op.phoneNumberNew ?? op.phoneNumber;
      if (after === undefined) return [];
      const lookups: PhoneOperation[] = [{ action: 'get', phoneNumber: after }];
      if (op.phoneNumber !== undefined && op.phoneNumber !== after) lookups.push({ action: 'get', phoneNumber: op.phoneNumber });
      return lookups;
    }
    default:
      return [];
  }
}

type Seen = 'found' | 'absent' | 'unreadable';

/**
 * Answers that say the server did not see the lookup's fields: what a GET whose body was dropped on
 * the way (a proxy, a runtime that strips GET bodies) draws. They say nothing about the record.
 */
const FIELDS_NOT_SEEN = /^(?:you need to pass either|phone ?(?:number|name) cannot be empty|invalid json)/;

/** A lookup either returned the record, or CloudAgent answered without one, or we could not tell. */
function seen(outcome: Outcome | undefined): Seen {
  if (!outcome) return 'unreadable';
  if (outcome.kind === 'success' && outcome.data) return 'found';
  // The not-found wordings (docs/decisions.md) are "absent" unless they say the name does not match
  // (a lookup by number sends no name). CloudAgent documents no not-found answer, so a definite
  // refusal in other words is taken as "absent" too, but not a validation answer nor one that says
  // the server did not see the body: the lookup was validated before it was sent, so those mean
  // the body was lost on the way, and a delete would be called done when it is not.
  if (outcome.kind === 'not_found') return outcome.nameMismatch ? 'unreadable' : 'absent';
  if (outcome.kind !== 'rejected') return 'unreadable';
  return FIELDS_NOT_SEEN.test(normalizeMessage(outcome.vendorMessage)) ? 'unreadable' : 'absent';
}

const recordOf = (outcome: Outcome | undefined): PhoneRecord | undefined => (outcome?.kind === 'success' ? outcome.data : undefined);

const sameName = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

export function judgeReadBack(op: PhoneOperation, outcomes: readonly Outcome[]): ReadBackJudgement {
  const skillsUnverified = Boolean(op.assignSkill?.length || op.unAssignSkill?.length || op.skill?.length);
  const first = outcomes[0];
  const s0 = seen(first);
  const verdict = (v: ReadBackVerdict, current?: PhoneRecord | 'absent'): ReadBackJudgement =>
    current === undefined ? { verdict: v, skillsUnverified } : { verdict: v, skillsUnverified, current };

  switch (op.action) {
    case 'create':
      if (s0 === 'found') return verdict(sameName(recordOf(first)?.phoneName, op.phoneName) ? 'applied' : 'unknown');
      return verdict(s0 === 'absent' ? 'not_applied' : 'unknown');
    case 'delete':
      if (s0 === 'absent') return verdict('applied');
      return verdict(s0 === 'found' ? 'not_applied' : 'unknown');
    case 'edit': {
      const after = op.phoneNumberNew ?? op.phoneNumber;
      const expectedName = op.phoneNameNew ?? op.phoneName;
      const numberChanges = after !== op.phoneNumber;
      const nameChanges = op.phoneNameNew !== undefined && !sameName(op.phoneNameNew, op.phoneName);
      if (!numberChanges) {
        const current = s0 === 'found' ? recordOf(first) : s0 === 'absent' ? 'absent' : undefined;
        if (s0 !== 'found') return verdict('unknown', current);
        if (!nameChanges) return verdict('unknown', current); // only skills changed: nothing a get can see
        if (sameName(recordOf(first)?.phoneName, expectedName)) return verdict('applied', current);
        return verdict(sameName(recordOf(first)?.phoneName, op.phoneName) ? 'not_applied' : 'unknown', current);
      }
      const s1 = seen(outcomes[1]);
      const current = s1 === 'found' ? recordOf(outcomes[1]) : s1 === 'absent' ? 'absent' : undefined;
      if (s0 === 'found' && sameName(recordOf(first)?.phoneName, expectedName) && s1 === 'absent') return verdict('applied', current);
      if (s0 === 'absent' && s1 === 'found' && sameName(recordOf(outcomes[1])?.phoneName, op.phoneName)) return verdict('not_applied', current);
      return verdict('unknown', current);
    }
    default:
      return verdict('unknown');
  }
}

/** The diagnostics of the answer being settled, kept on the settled outcome. */
function diagnosticsOf(original: Outcome): Pick<Outcome, 'httpStatus' | 'vendorStatus' | 'vendorMessage' | 'requestId'> {
  const out: Record<string, unknown> = {};
  for (const key of ['httpStatus', 'vendorStatus', 'vendorMessage', 'requestId'] as const) if (original[key] !== undefined) out[key] = original[key];
  return out;
}

/**
 * What the caller learns once a mutation's answer has been read back. Settles two kinds of answer:
 *
 * - `unknown` (ambiguous): `applied` proves it landed; `not_applied` proves it did not (a
 *   `server_error`: nothing was applied, sending it again is safe), except after a timeout (ours, or
 *   a gateway's 504), when the request may still land: then it stays `unknown`; otherwise unchanged.
 * - `conflict` on an edit or create: `applied` means an earlier attempt of the same change landed
 *   (done). On an edit, a current number that is not there is `not_found`, and one that carries a
 *   different name than the one given is `not_found` with `nameMismatch` (CloudAgent may answer a
 *   wrong current name with "already exist"). Anything else stays a real conflict.
 */
export function settleByReadBack(op: PhoneOperation, original: Outcome, judgement: ReadBackJudgement): Outcome {
  const diagnostics = diagnosticsOf(original);
  const skills = judgement.skillsUnverified ? '; skill changes cannot be read back and are unverified' : '';
  const action = op.action;

  if (original.kind === 'conflict') {
    if (judgement.verdict === 'applied') {
      return createOutcome(action, {
        kind: 'success',
        message: `already done: CloudAgent answered "already exist", and reading back shows the state this ${op.action} asked for (an earlier attempt landed)${skills}`,
        retryable: false,
        ...diagnostics,
      });
    }
    if (action !== 'edit') return original;
    const current = judgement.current;
    if (current === 'absent') {
      return createOutcome(action, {
        kind: 'not_found',
        message: `phoneNumber ${op.phoneNumber} does not exist: CloudAgent answered "already exist", and reading back finds no such number`,
        field: 'phoneNumber',
        nameMismatch: false,
        retryable: false,
        ...diagnostics,
      });
    }
    if (current !== undefined && !sameName(current.phoneName, op.phoneName)) {
      return createOutcome(action, {
        kind: 'not_found',
        message: `phoneName "${op.phoneName}" does not match phoneNumber ${op.phoneNumber}: reading back shows it is named "${current.phoneName}"`,
        field: 'phoneName',
        nameMismatch: true,
        actualName: current.phoneName,
        retryable: false,
        ...diagnostics,
      });
    }
    return original;
  }
  if (original.kind !== 'unknown') return original;

  switch (judgement.verdict) {
    case 'applied':
      return createOutcome(action, {
        kind: 'success',
        message: `the change was applied: confirmed by reading back after "${original.message}"${skills}`,
        retryable: false,
        ...diagnostics,
      });
    case 'not_applied': {
      const stillInFlight = original.cause === 'timeout' || original.httpStatus === 504;
      if (stillInFlight) {
        return {
          ...original,
          message: `${original.message}; reading back shows no change yet, but the timed-out request may still be processed: read back again before sending it again`,
        };
      }
      return createOutcome(action, {
        kind: 'server_error',
        message: `${original.message}; reading back shows nothing was applied, so sending it again is safe`,
        // Sending it again is safe, so far as this answer goes (the client itself never does after a read-back).
        retryable: true,
        ...(original.cause !== undefined ? { cause: original.cause } : {}),
        ...diagnostics,
      });
    }
    default:
      return { ...original, message: `${original.message}; reading back could not tell whether it was applied` };
  }
}
