/**
 * Removes API keys and tokens from whatever is about to be shown: a URL, a request or response
 * object, headers, or free text. Everything else stays readable. One function, applied to every
 * log line, error and output the toolkit produces.
 *
 * Two nets: patterns (credential query parameters, credential headers and JSON fields, bearer
 * tokens, JWT-shaped strings), and the exact secrets the caller knows about (`options.secrets`),
 * which are replaced wherever they appear, whatever surrounds them.
 */
export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /** Known secret values (the API key, the current token) to remove wherever they occur. */
  secrets?: readonly (string | undefined)[];
}

const SECRET_NAME = /^(api[-_]?key|x[-_]api[-_]?key|token|access[-_]?token|authorization|proxy-authorization|password|secret|cookie|set-cookie|bearer)$/i;

const PATTERNS: [RegExp, string][] = [
  // query parameters: ?apiKey=...&  api_key=...  token=...
  [/([?&;]\s*(?:api[-_]?key|apikey|token|access[-_]?token|password)=)[^&#\s"']*/gi, `$1${REDACTED}`],
  // JSON fields: "apiKey": "..."  "token":"..."
  [/("(?:api[-_]?key|token|access[-_]?token|authorization|password|secret)"\s*:\s*")(?:[^"\\]|\\.)*(")/gi, `$1${REDACTED}$2`],
  // header lines and log fields: apiKey: ..., Authorization: Bearer ...
  [/(\b(?:api[-_]?key|authorization|x-api-key)\s*[:=]\s*)(?:bearer\s+)?[^\s,;"'&}]+/gi, `$1${REDACTED}`],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  // JWT-shaped tokens (CloudAgent's tokens start eyJ)
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Also the forms a secret takes inside a URL or a JSON string.
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      out = out.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
    }
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function redactValue(value: unknown, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth > 20) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1, seen));
  if (value instanceof Error) {
    const copy = new Error(redactText(value.message, secrets));
    copy.name = value.name;
    if (value.stack) copy.stack = redactText(value.stack, secrets);
    return copy;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_NAME.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redactValue(v, secrets, depth + 1, seen);
  }
  return out;
}

/** Returns a copy of `input` with every credential replaced by [REDACTED]. Never mutates the input. */
export function redact<T>(input: T, options: RedactOptions = {}): T {
  // Longest first, so a key that contains another secret is removed whole.
  const secrets = (options.secrets ?? [])
    .filter((s): s is string => typeof s === 'string' && s.length >= 4)
    .sort((a, b) => b.length - a.length);
  return redactValue(input, secrets, 0, new WeakSet()) as T;
}
