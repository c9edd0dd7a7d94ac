import type { PhoneOperation } from '@cloudagent-phone/core';
import { untilAborted, type CallResult, type OperationInput, type PhoneClient } from '@cloudagent-phone/transport';

export type UpstreamResult = { timedOut: true } | { timedOut: false; result: CallResult };

/**
 * One CloudAgent call under the edge's deadline. When the deadline passes the call's AbortSignal
 * fires, which closes the upstream request (Hono's timeout() would only stop waiting for it), and
 * the caller gets its answer now even if something below ignores the signal (the transport's own
 * `untilAborted`, which also keeps the call's late rejection handled).
 */
export async function callWithDeadline(client: PhoneClient, operation: PhoneOperation, timeoutMs: number): Promise<UpstreamResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    // validateOperation's output has exactly the fields its action needs.
    const result = await untilAborted(client.run(operation as OperationInput, { signal: deadline }), deadline);
    return deadline.aborted ? { timedOut: true } : { timedOut: false, result };
  } catch (error) {
    if (deadline.aborted) return { timedOut: true };
    throw error;
  }
}
