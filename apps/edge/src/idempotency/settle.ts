import { judgeReadBack, readBackLookups, type Outcome, type PhoneOperation } from '@cloudagent-phone/core';
import { settleByReadBack, type CallResult, type OperationInput, type PhoneClient } from '@cloudagent-phone/transport';

/**
 * Settles a mutation whose first answer was ambiguous by reading the number back: never by sending
 * the mutation again. The edge's one seam for settling. Until the transport client's own
 * `settle(operationInput)` (issue 10) is on main, it reads back through the client's lookups and
 * core's judgement, the same path the client takes inside a call; then its body becomes that call.
 *
 * Where the transport cannot send v2's get (fetch on Workers), nothing can be read back: the outcome
 * stays ambiguous, honestly.
 */
export async function settleByReadingBack(
  client: PhoneClient,
  canReadBack: boolean,
  operation: PhoneOperation,
  original: Outcome,
  timeoutMs: number,
): Promise<CallResult> {
  const started = Date.now();
  const lookups = canReadBack ? readBackLookups(operation) : [];
  if (lookups.length === 0) return { outcome: { ...original, ambiguous: true }, sent: false, attempts: 0, durationMs: 0 };
  const signal = AbortSignal.timeout(timeoutMs);
  const outcomes: Outcome[] = [];
  for (const lookup of lookups) outcomes.push((await client.run(lookup as OperationInput, { signal })).outcome);
  const judgement = judgeReadBack(operation, outcomes);
  return {
    outcome: settleByReadBack(operation, original, judgement),
    sent: false,
    attempts: 0,
    durationMs: Date.now() - started,
    readBack: judgement,
  };
}
