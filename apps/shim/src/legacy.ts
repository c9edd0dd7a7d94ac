import { V1_PATH, joinUrl } from '@cloudagent-phone/core';
import { TransportError, type Transport, type TransportResponse } from '@cloudagent-phone/transport';

export type PassThrough =
  | { kind: 'answered'; response: TransportResponse }
  /** The legacy host is gone (refused, DNS, 404/410): nothing was applied, v2 may take the call. */
  | { kind: 'gone'; detail: string }
  /** The call may have reached the legacy host and got no answer. */
  | { kind: 'maybe_sent'; detail: string };

/**
 * Sends a v1 call to the legacy host exactly as it came (same method, same raw query, same form
 * body): the pass-through of `v1` and `shadow` accounts and of the kill switch. Sent once.
 */
export async function passThroughToV1(
  transport: Transport,
  v1BaseUrl: string,
  call: { method: string; rawQuery: string; contentType?: string; body?: string },
  timeoutMs: number,
): Promise<PassThrough> {
  const hasBody = call.method === 'POST' && call.body !== undefined && call.body !== '';
  const request = {
    method: call.method === 'POST' ? ('POST' as const) : ('GET' as const),
    url: joinUrl(v1BaseUrl, V1_PATH) + (call.rawQuery !== '' ? `?${call.rawQuery}` : ''),
    headers: { accept: 'application/json', ...(hasBody && call.contentType ? { 'content-type': call.contentType } : {}) },
    ...(hasBody ? { body: call.body } : {}),
  };
  try {
    const response = await transport.send(request, AbortSignal.timeout(timeoutMs));
    if (response.status === 404 || response.status === 410) return { kind: 'gone', detail: `legacy host answered HTTP ${response.status}` };
    return { kind: 'answered', response };
  } catch (error) {
    if (error instanceof TransportError && error.delivery === 'not_sent') return { kind: 'gone', detail: error.code };
    return { kind: 'maybe_sent', detail: error instanceof TransportError ? error.code : 'network' };
  }
}
