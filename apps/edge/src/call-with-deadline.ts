import type { PhoneOperation } from '@cloudagent-phone/core';
import type { CallResult, OperationInput, PhoneClient } from '@cloudagent-phone/transport';

export type UpstreamResult = { timedOut: true } | { timedOut: false; result: CallResult };

/**
 * One CloudAgent call under the edge's deadline. When the deadline passes the call's AbortSignal
 * fires, which closes the upstream request (Hono's timeout() would only stop waiting for it), and
 * the caller gets its answer now even if something below ignores the signal.
 */
export async function callWithDeadline(client: PhoneClient, operation: PhoneOperation, timeoutMs: number): Promise<UpstreamResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
      resolve('timeout');
    }, timeoutMs);
  });
  // validateOperation's output has exactly the fields its action needs.
  const call = client.run(operation as OperationInput, { signal: controller.signal });
  // The race may be settled by the deadline; the call's late rejection must not go unhandled.
  call.catch(() => undefined);
  try {
    const winner = await Promise.race([call, deadline]);
    if (winner === 'timeout' || controller.signal.aborted) return { timedOut: true };
    return { timedOut: false, result: winner };
  } catch (error) {
    if (controller.signal.aborted) return { timedOut: true };
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
