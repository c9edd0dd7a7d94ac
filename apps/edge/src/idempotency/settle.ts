import type { Outcome, PhoneOperation } from '@cloudagent-phone/core';
import type { CallResult, OperationInput, PhoneClient } from '@cloudagent-phone/transport';

/**
 * Settles a mutation whose first answer was ambiguous by reading the number back: never by sending
 * the mutation again. The edge's one seam for settling: the transport client's `settle`, which reads
 * back and never sends (and, over a transport that cannot send v2's get, answers the original
 * outcome, still ambiguous). Bounded by the edge's own deadline.
 */
export function settleByReadingBack(client: PhoneClient, operation: PhoneOperation, original: Outcome, timeoutMs: number): Promise<CallResult> {
  // validateOperation's output has exactly the fields its action needs.
  return client.settle(operation as OperationInput, { original, signal: AbortSignal.timeout(timeoutMs) });
}
