/**
 * Removes API keys and tokens from whatever is about to be shown: a URL, a request or response
 * object, headers, an error (message, stack, cause and own fields), or free text. Everything else
 * stays readable. One function, applied to every log line, error and output the toolkit produces.
 *
 * Two nets: patterns (credential query parameters, also URL-encoded inside another URL, credential
 * headers and JSON fields, also JSON-escaped inside another JSON string, bearer and basic
 * credentials, JWT-shaped strings, keys written into source code or configuration in the languages
 * `caphone migrate scan` reads), and the exact secrets the caller knows about
 * (`options.secrets`), which are replaced wherever they appear, in any of the encodings a URL, a
 * form or a JSON string gives them.
 */
export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /** Known secret values (the API key, the current token) to remove wherever they occur. */
  secrets?: readonly (string | undefined)[];
}

// Field names whose value is a credential whatever it looks like: apiKey, x-api-key, token,
// accessToken, csrf_token, Authorization, clientSecret, password, cookies...
const SECRET_NAME = /(?:api[-_]?key|token|authorization|password|passwd|secret|cookie|bearer)$/i;

const PARAM = '(?:api[-_]?key|x[-_]api[-_]?key|token|access[-_]?token|password)';
const FIELD = '(?:api[-_]?key|x[-_]api[-_]?key|token|access[-_]?token|authorization|proxy-authorization|password|secret)';

// A name in source code or configuration whose value is a credential: apiKey, api_key, $apiKey,
// API_KEY, CLOUDAGENT_API_KEY, cloudagent.api.key, x-api-key, accessToken, db_password, clientSecret.
const CODE_NAME = '[\\w$.-]{0,64}?(?:api[-_.]?key|token|password|passwd|secret)';
// The same for values written without quotes (.env, .properties, YAML, headers): API keys only,
// since "token: ..." or "secret: ..." is as likely to be prose.
const BARE_NAME = '(?:[\\w.-]{0,64}?api[-_.]?key|(?:proxy-)?authorization)';
// A string literal in any of the quotes code uses, with its escapes, not empty. The bounds on names,
// literals and values keep every pattern linear in the text's length, whatever a caller sends.
const LITERAL = (quote: number) => `(?:(?!\\${quote})[^\\\\\\r\\n]|\\\\.){1,1024}\\${quote}`;
// What joins a name to its value in code: = := => : (also after a TypeScript type), || ?? (defaults).
const BINDS = '(?::\\s*[\\w<>\\[\\]|?.]+\\s*=(?!=)|:?=(?![=~])>?|:(?!:)|\\|\\||\\?\\?)';
// Template and interpolation syntax (${key}, #{key}, {key}, {{key}}) names a variable, not a secret.
const NOT_INTERPOLATION = '(?![$#]?\\{)';

const PATTERNS: [RegExp, string][] = [
  // query and form parameters: ?apiKey=...&  api_key=...  token=...  (also at the start of a body or
  // of a string literal). A parameter with no value (`"?apiKey=" + key`) is left as it is.
  [new RegExp(`((?:^|[?&;\\s"'\`(,])${PARAM}=)${NOT_INTERPOLATION}[^&#;\\s"'\`]+`, 'gi'), `$1${REDACTED}`],
  // a literal glued on after one: "?apiKey=" + "KEY"  'apiKey=' . 'KEY'
  [new RegExp(`([?&"'\`]${PARAM}=(["'\`])\\s*[+.]\\s*)(["'\`])${LITERAL(3)}`, 'gi'), `$1$3${REDACTED}$3`],
  // the same inside a URL-encoded URL (a redirect target, a proxy's error): %3FapiKey%3D...%26
  [new RegExp(`((?:%3F|%26)${PARAM}%3D)(?:[^%&#\\s"']|%(?!26)[0-9a-f]{2})*`, 'gi'), `$1${REDACTED}`],
  // JSON fields: "apiKey": "..."  "token":"..."
  [new RegExp(`("${FIELD}"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, 'gi'), `$1${REDACTED}$2`],
  // JSON inside a JSON string: {\\"apiKey\\":\\"...\\"}
  [new RegExp(`(\\\\"${FIELD}\\\\"\\s*:\\s*\\\\")(?:[^"\\\\]|\\\\(?!")|\\\\\\\\)*?(\\\\")`, 'gi'), `$1${REDACTED}$2`],
  // Source code, a string literal as a credential's value; the quotes stay, so the line still reads:
  //   quoted names  'apiKey' => 'K'  array("apiKey"=>'K')  queryParam("apiKey", "K")  ENV['API_KEY'] || 'K'
  //   bare names    { apiKey: 'K' }  api_key = "K"  :apiKey => 'K'  $apiKey = 'K'  apiKey: string = 'K'  withApiKey("K")
  // A bare name must start an expression (after a space, ( , { [ ; : @ .), so the `apiKey=` inside
  // the literal "?apiKey=" is not read as an assignment.
  [new RegExp(`((?:(["'\`])${CODE_NAME}\\2\\]?\\s*(?:${BINDS}|,)|(?<=^|[\\s(,{\\[;:@.!])${CODE_NAME}\\s*(?:${BINDS}|\\())\\s*)(["'\`])${LITERAL(3)}`, 'gi'), `$1$3${REDACTED}$3`],
  // XML: <apiKey>K</apiKey>, and <add key="apiKey" value="K"/> (.NET, Java properties as XML)
  [new RegExp(`(<(${CODE_NAME})(?:\\s[^>]*)?>)[^<]+(</\\2\\s*>)`, 'gi'), `$1${REDACTED}$3`],
  [new RegExp(`((?:key|name)\\s*=\\s*(["'])${CODE_NAME}\\2\\s+value\\s*=\\s*)(["'])${LITERAL(3)}`, 'gi'), `$1$3${REDACTED}$3`],
  // header lines, log fields and configuration written without quotes: apiKey: ..., API_KEY=...,
  // Authorization: Bearer|Basic|Token ... Code is not a value: a call or an index (os.environ[...],
  // getenv(...)), a TypeScript type (`apiKey: string = `), the rest of an operator (== =>).
  [
    new RegExp(
      `((?<![\\w.-])${BARE_NAME}\\s*[:=]\\s*)(?:(?:bearer|basic|token|digest)\\s+)?${NOT_INTERPOLATION}(?![=>])(?![^\\s,;"'\`&}()\\[\\]]{1,256}(?:[(\\[]|\\s+=))[^\\s,;"'\`&}()\\[\\]]+`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  // credentials inside a URL: https://user:pass@host
  [/\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#\s@"']*@/g, `$1${REDACTED}@`],
  // JWT-shaped tokens (CloudAgent's tokens start eyJ)
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * application/x-www-form-urlencoded, space as +: `unescaped` lists what stays as it is beside
 * letters and digits (`*-._` for URLSearchParams, `-_.` for PHP's urlencode).
 */
function formEncode(s: string, unescaped: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => (unescaped.includes(c) ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .replace(/%20/g, '+');
}

/** A known secret: the pattern of its encodings, and text that each of them contains. */
interface SecretMatcher {
  pattern: RegExp;
  /**
   * The secret's longest run of letters, digits, `.`, `_` and `-` (not counting the hex digits of a
   * percent escape the secret holds, matched in either case): every encoding below leaves those
   * characters as they are, so text without the run holds no encoding of the secret, and
   * `includes` says so for a fraction of what the pattern's scan costs.
   */
  marker: string;
}

// The matchers of the last few secrets: a client redacts every answer with the same key, and
// building the pattern cost more than using it. Safe to share: replace() starts a global pattern
// from index 0 every time.
const secretMatchers = new Map<string, SecretMatcher>();

/** One matcher per secret: it raw, URL-encoded (either hex case), form-encoded or JSON-escaped. */
function secretMatcher(secret: string): SecretMatcher {
  let matcher = secretMatchers.get(secret);
  if (!matcher) {
    matcher = { pattern: buildSecretPattern(secret), marker: longestKeptRun(secret) };
    if (secretMatchers.size >= 16) secretMatchers.delete(secretMatchers.keys().next().value as string);
    secretMatchers.set(secret, matcher);
  }
  return matcher;
}

function longestKeptRun(secret: string): string {
  let longest = '';
  // A "%4F" the secret holds is matched with its hex digits in either case (buildSecretPattern):
  // those two characters are not kept as they are, so they end a run.
  for (const run of secret.replace(/%[0-9A-F]{2}/g, '%').match(/[A-Za-z0-9._-]+/g) ?? []) if (run.length > longest.length) longest = run;
  return longest;
}

function buildSecretPattern(secret: string): RegExp {
  const forms = new Set([secret, encodeURIComponent(secret), formEncode(secret, '*'), formEncode(secret, ''), JSON.stringify(secret).slice(1, -1)]);
  const alternatives = [...forms].map((form) =>
    // %2b and %2B are the same byte: match the escapes' hex digits in either case.
    escapeRegExp(form).replace(/%([0-9A-F])([0-9A-F])/g, (_m, a: string, b: string) => `%[${a}${a.toLowerCase()}][${b}${b.toLowerCase()}]`),
  );
  return new RegExp(alternatives.join('|'), 'g');
}

// Every pattern above needs one of these words (PARAM, FIELD, CODE_NAME and BARE_NAME all end in
// one; URL-encoding leaves letters alone) or a URL with a user (`scheme://...@`): text without any
// of them skips the dozen patterns. Most text redacted (messages, URLs, request bodies) has none,
// and a bulk run redacts every answer. A new pattern must add its trigger here.
const MAY_MATCH_A_PATTERN = /key|token|passw|secret|authorization|bearer|eyJ|:\/\/[^/?#\s@"']*@/i;

function redactText(text: string, walk: Walk): string {
  let out = text;
  // Every encoding of a secret is at least as long as the secret: text shorter than the shortest
  // cannot hold one, and most strings of a result (a kind, a method, a header value) skip the scan.
  if (out.length >= walk.shortest) for (const secret of walk.secrets) if (out.includes(secret.marker)) out = out.replace(secret.pattern, REDACTED);
  if (!MAY_MATCH_A_PATTERN.test(out)) return out;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

interface Walk {
  secrets: readonly SecretMatcher[];
  /** The length of the shortest secret. */
  shortest: number;
  /**
   * Objects on the path from the root: a cycle, not a value shared by two fields. An array, not a
   * WeakSet: the depth bound keeps it short, and a scan of a few entries is cheaper than hashing.
   */
  path: object[];
}

const MAX_DEPTH = 20;

function redactValue(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === 'string') return redactText(value, walk);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH || walk.path.includes(value)) return '[Circular]';
  // No finally: an exception (a throwing getter) ends the whole walk, and the path with it.
  walk.path.push(value);
  const out = redactObject(value, walk, depth);
  walk.path.pop();
  return out;
}

function redactObject(value: object, walk: Walk, depth: number): unknown {
  // Plain objects (every result, request and outcome) first, without asking for their tag: one
  // with the plain prototypes and no tag of its own is none of the kinds below.
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto === Object.prototype || proto === null) && !(Symbol.toStringTag in value)) return redactFields(value, walk, depth);
  const tag = Object.prototype.toString.call(value);
  // A URL, URLSearchParams or Headers object has no own fields: redact what it prints.
  if (tag === '[object URL]' || tag === '[object URLSearchParams]') return redactText(String(value), walk);
  if (Array.isArray(value)) return redactArray(value, walk, depth);
  if (value instanceof Map || tag === '[object Headers]') {
    const entries = [...(value as Map<unknown, unknown>).entries()];
    return redactValue(Object.fromEntries(entries.map(([k, v]) => [String(k), v])), walk, depth + 1);
  }
  if (value instanceof Error) return redactError(value, walk, depth);
  return redactFields(value, walk, depth);
}

/**
 * A plain copy of the own enumerable fields, each redacted. Assigned, not defined: on a fresh `{}`
 * the only setter up the chain is `__proto__`, so every other name becomes the same own field that
 * defineProperty makes, several times faster.
 */
function redactFields(value: object, walk: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // for-in over own fields, not Object.keys: the same names in the same order, without an array of
  // them for every object of every result.
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = redactField(k, (value as Record<string, unknown>)[k], walk, depth);
    if (k === '__proto__') setOwn(out, k, v);
    else out[k] = v;
  }
  return out;
}

/** An own, enumerable field, even one named `__proto__` or one a prototype has a setter for. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
}

// Whether a field name is a credential's, for the names seen most: a result has the same dozen
// field names every time, and the pattern ends in `$` (a scan of the whole name). Bounded, since
// the names may come from anyone.
const secretNames = new Map<string, boolean>();

function isSecretName(key: string): boolean {
  let secret = secretNames.get(key);
  if (secret === undefined) {
    secret = SECRET_NAME.test(key);
    if (secretNames.size < 256) secretNames.set(key, secret);
  }
  return secret;
}

function redactField(key: string, v: unknown, walk: Walk, depth: number): unknown {
  // A flag (`hasToken: true`) says whether there is a secret, not what it is: kept readable.
  const secret = v !== undefined && v !== null && v !== '' && typeof v !== 'boolean' && isSecretName(key);
  return secret ? REDACTED : redactValue(v, walk, depth + 1);
}

/**
 * Arrays, including header lists in the shapes Node and fetch give them: `[name, value]` pairs and
 * Node's flat `rawHeaders` (`['apiKey', 'k', 'host', 'h']`), where the value follows its name.
 */
function redactArray(value: unknown[], walk: Walk, depth: number): unknown[] {
  const out = value.map((v) => redactValue(v, walk, depth + 1));
  for (let i = 0; i < value.length - 1; i++) {
    const name = value[i];
    if (typeof name === 'string' && isSecretName(name) && typeof value[i + 1] === 'string' && value[i + 1] !== '') {
      out[i + 1] = REDACTED;
      i++;
    }
  }
  return out;
}

/**
 * A copy of the error of the same class (so `instanceof` and `name` still work), with its message,
 * stack, cause, aggregated errors and own fields (a URL, a code, a config) redacted too.
 */
function redactError(error: Error, walk: Walk, depth: number): Error {
  // Host errors (DOMException) keep their fields in internal slots that a copy cannot read: those
  // become plain Errors with the same name.
  const native = Object.prototype.toString.call(error) === '[object Error]';
  const copy = (native ? Object.create(Object.getPrototypeOf(error) as object) : new Error()) as Error;
  const define = (key: string, v: unknown) => Object.defineProperty(copy, key, { value: v, writable: true, configurable: true, enumerable: false });
  define('message', redactText(String(error.message), walk));
  define('name', String(error.name));
  define('stack', error.stack === undefined ? undefined : redactText(String(error.stack), walk));
  if ('cause' in error) define('cause', redactValue(error.cause, walk, depth + 1));
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) define('errors', redactValue(errors, walk, depth + 1));
  for (const [k, v] of Object.entries(error)) {
    if (k === 'errors' || k === 'cause') continue;
    setOwn(copy, k, redactField(k, v, walk, depth));
  }
  return copy;
}

/** Returns a copy of `input` with every credential replaced by [REDACTED]. Never mutates the input. */
export function redact<T>(input: T, options: RedactOptions = {}): T {
  // Longest first, so a key that contains another secret is removed whole.
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  return redactValue(input, { secrets: secrets.map(secretMatcher), shortest: secrets.at(-1)?.length ?? 0, path: [] }, 0) as T;
}
