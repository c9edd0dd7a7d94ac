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
  // settleByReadBack keeps "not there yet" after a timeout ambiguous: the request may still land.
  return { outcome: settleByReadBack(op, outcome, judgement), verdict: judgement.verdict, lookups };
}
