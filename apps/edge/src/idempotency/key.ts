/**
 * The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header-07): a Structured
 * Field String, so `"abc"`; callers that follow Stripe send the bare `abc`, which is read the same.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** The methods a key applies to: the ones that change something. */
export const KEYED_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'DELETE']);

/** Stripe's limit; printable ASCII (space to tilde), the characters an sf-string may hold. */
const KEY = /^[\x20-\x7e]{1,255}$/;

/** The key a header carries, or undefined when the value is not a 1-to-255-character printable key. */
export function parseIdempotencyKey(header: string): string | undefined {
  const value = header.trim();
  const key = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? unquote(value) : value;
  return key !== undefined && KEY.test(key) ? key : undefined;
}

/** An sf-string's content: inside the quotes only \" and \\ may be escaped, and no bare quote appears. */
function unquote(quoted: string): string | undefined {
  let out = '';
  for (let i = 1; i < quoted.length - 1; i++) {
    let ch = quoted[i]!;
    if (ch === '\\') {
      ch = quoted[++i]!;
      if (i >= quoted.length - 1 || (ch !== '"' && ch !== '\\')) return undefined;
    } else if (ch === '"') {
      return undefined;
    }
    out += ch;
  }
  return out;
}

/**
 * What a key is bound to: the method, the path with its query, and the body, exactly as sent. A
 * retry sends the same bytes; anything else under the same key is a different request (422).
 */
export function fingerprintInput(method: string, pathWithQuery: string, body: string): string {
  return `${method}\n${pathWithQuery}\n${body}`;
}
