/**
 * Reads a request body with a size cap and a deadline, without ever holding more than the cap:
 * a Content-Length over the cap is refused unread, a streamed (chunked) body is cut as soon as it
 * passes the cap, a body that trickles in slower than the deadline is cut too. Runtime-neutral
 * (a WHATWG ReadableStream, as Node's Hono adapter and workerd both give).
 */
export type BodyRead =
  | { kind: 'ok'; bytes: Uint8Array }
  | { kind: 'too_large' }
  | { kind: 'timeout' }
  /** The client went away (reset, closed the connection) before the body was complete. */
  | { kind: 'aborted' };

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

export async function readBodyWithin(request: Request, limits: BodyLimits): Promise<BodyRead> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > limits.maxBytes) {
    await cancelQuietly(request.body);
    return { kind: 'too_large' };
  }
  if (!request.body) return { kind: 'ok', bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limits.timeoutMs);
  });
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array> | 'timeout';
      try {
        step = await Promise.race([reader.read(), deadline]);
      } catch {
        return { kind: 'aborted' };
      }
      if (step === 'timeout') {
        await cancelQuietly(reader);
        return { kind: 'timeout' };
      }
      if (step.done) break;
      total += step.value.byteLength;
      if (total > limits.maxBytes) {
        await cancelQuietly(reader);
        return { kind: 'too_large' };
      }
      chunks.push(step.value);
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { kind: 'ok', bytes };
}

async function cancelQuietly(stream: { cancel(reason?: unknown): Promise<void> } | null): Promise<void> {
  if (!stream) return;
  // Cancelling tells the runtime to stop reading; a cancel that fails (the client is gone) is fine.
  // Not awaited to completion beyond a tick: some runtimes settle it only when the peer closes.
  await Promise.race([stream.cancel().catch(() => undefined), new Promise((r) => setTimeout(r, 10))]);
}
