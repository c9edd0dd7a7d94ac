/**
 * The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header-07): a Structured
 * Field String, so `"abc"`; callers that follow Stripe send the bare `abc`, which is read the same.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** The methods a key applies to: the ones that change something. */
export const KEYED_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'DELETE']);

/**
 * Stripe's limit, printable ASCII (space to tilde): bare, or as an sf-string whose quotes hold the
 * same characters less `"` and `\` (so nothing in it needs unescaping).
 */
const BARE = /^[\x20-\x7e]{1,255}$/;
const QUOTED = /^"([\x20\x21\x23-\x5b\x5d-\x7e]{1,255})"$/;

/** The key a header carries, or undefined when the value is not a 1-to-255-character printable key. */
export function parseIdempotencyKey(header: string): string | undefined {
  const value = header.trim();
  if (value.startsWith('"')) return QUOTED.exec(value)?.[1];
  return BARE.test(value) ? value : undefined;
}

/**
 * What a key is bound to: the method, the path with its query, and the body, exactly as sent. A
 * retry sends the same bytes; anything else under the same key is a different request (422).
 */
export function fingerprintInput(method: string, pathWithQuery: string, body: string): string {
  return `${method}\n${pathWithQuery}\n${body}`;
}
