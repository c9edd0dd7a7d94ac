import { normalizeMessage } from './classify.js';
import type { PhoneOperation } from './operation.js';
import type { Outcome } from './outcome.js';

/**
 * Settling an ambiguous mutation by looking, not by sending it again.
 *
 * `readBackLookups(op)` says which v2 `get` calls tell whether `op` took effect; the caller makes
 * them and hands the outcomes, in the same order, to `judgeReadBack`. The same judgement recognises
 * an edit that a user retried after the first attempt landed: the second answer is "already exist",
 * and the read-back shows the state the edit asked for.
 *
 * `get` returns only number and name, so skills cannot be verified: `skillsUnverified` says so.
 */
export type ReadBackVerdict = 'applied' | 'not_applied' | 'unknown';

export interface ReadBackJudgement {
  verdict: ReadBackVerdict;
  /** The operation asked for skill changes that a read-back cannot see. */
  skillsUnverified: boolean;
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
  // CloudAgent documents no "not found" answer for get; a definite, unrecognised answer from it
  // (not a refusal of our credentials, our rate or our fields) is taken as "no such record". A
  // validation answer is not: the lookup's number was validated before it was sent, so such an
  // answer means the server did not see it, and a delete would be called done when it is not.
  if (outcome.kind !== 'unknown' || outcome.ambiguous || outcome.httpStatus === undefined) return 'unreadable';
  return FIELDS_NOT_SEEN.test(normalizeMessage(outcome.vendorMessage ?? outcome.message)) ? 'unreadable' : 'absent';
}

const sameName = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

export function judgeReadBack(op: PhoneOperation, outcomes: readonly Outcome[]): ReadBackJudgement {
  const skillsUnverified = Boolean(op.assignSkill?.length || op.unAssignSkill?.length || op.skill?.length);
  const verdict = (v: ReadBackVerdict): ReadBackJudgement => ({ verdict: v, skillsUnverified });
  const first = outcomes[0];
  const s0 = seen(first);

  switch (op.action) {
    case 'create':
      if (s0 === 'found') return verdict(sameName(first?.data?.phoneName, op.phoneName) ? 'applied' : 'unknown');
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
        if (s0 !== 'found') return verdict('unknown');
        if (!nameChanges) return verdict('unknown'); // only skills changed: nothing a get can see
        if (sameName(first?.data?.phoneName, expectedName)) return verdict('applied');
        return verdict(sameName(first?.data?.phoneName, op.phoneName) ? 'not_applied' : 'unknown');
      }
      const s1 = seen(outcomes[1]);
      if (s0 === 'found' && sameName(first?.data?.phoneName, expectedName) && s1 === 'absent') return verdict('applied');
      if (s0 === 'absent' && s1 === 'found' && sameName(outcomes[1]?.data?.phoneName, op.phoneName)) return verdict('not_applied');
      return verdict('unknown');
    }
    default:
      return verdict('unknown');
  }
}
