/** A caller's X-Request-Id is kept only when it is short and plain, so it cannot smuggle anything into logs. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | undefined): string {
  return header && SAFE_ID.test(header) ? header : crypto.randomUUID();
}
