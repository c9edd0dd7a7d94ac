import { judgeReadBack, needsReadBack, readBackLookups, type Outcome, type PhoneOperation, type ReadBackVerdict } from '@cloudagent-phone/core';
import { settleByReadBack, type OperationInput, type PhoneClient } from '@cloudagent-phone/transport';

export interface Settled {
  outcome: Outcome;
  /** Set when a read-back happened. */
  verdict?: ReadBackVerdict;
  /** v2 lookups sent (gets), for the metrics. */
  lookups: number;
}

/**
 * Settles a mutation whose outcome is ambiguous by looking the number up, never by sending it again.
 * The shim's client runs with `readBack: false` and this is called instead, because the client's own
 * read-back also looks up every "already exist" answer, which the v1 door answers as "already exist"
 * whatever it finds: v2 calls for nothing, on every conflict.
 */
export async function settleAmbiguous(client: PhoneClient, op: PhoneOperation, outcome: Outcome, canReadBack: boolean): Promise<Settled> {
  if (!canReadBack || !needsReadBack(op.action, outcome)) return { outcome, lookups: 0 };
  const outcomes: Outcome[] = [];
  let lookups = 0;
  for (const lookup of readBackLookups(op)) {
    const read = await client.run(lookup as OperationInput);
    lookups += read.attempts;
    outcomes.push(read.outcome);
  }
  const judgement = judgeReadBack(op, outcomes);
  const settled = settleByReadBack(op, outcome, judgement);
  // "Not there yet" after a timeout is not "nothing changed": the request may still be processed,
  // so the caller must check again, not be told that sending it again is safe.
  const stillInFlight = outcome.cause === 'timeout' || outcome.httpStatus === 504;
  if (judgement.verdict === 'not_applied' && stillInFlight) return { outcome: { ...settled, ambiguous: true }, verdict: judgement.verdict, lookups };
  return { outcome: settled, verdict: judgement.verdict, lookups };
}
