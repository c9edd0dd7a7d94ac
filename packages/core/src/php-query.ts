/**
 * Reads a query string or an application/x-www-form-urlencoded body the way PHP fills $_GET and
 * $_POST: pairs split on &, a + is a space, %XX is decoded, a malformed escape is kept as it is,
 * and the last duplicate wins. PHP's `a[]` array syntax is not used by this API and is kept as a
 * plain key. Pure, for the simulator and the v1 shim alike. The result has no prototype: a caller's
 * `__proto__` or `constructor` is a key like any other, never an inherited property.
 */
export function parsePhpQuery(query: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const text = query.startsWith('?') ? query.slice(1) : query;
  for (const pair of text.split('&')) {
    if (pair === '') continue; // "?&userName=..." and "a=1&&b=2"
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = phpUrlDecode(rawKey);
    if (key === '') continue;
    out[key] = phpUrlDecode(rawValue);
  }
  return out;
}

/** PHP's urldecode: + becomes a space; %XX becomes the byte, decoded as UTF-8. */
export function phpUrlDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray % or an invalid UTF-8 sequence: decode what can be decoded, keep the rest verbatim.
    return spaced.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * The query string of a URL exactly as it arrived (no `?`, no fragment), not normalised by a URL
 * parser, so that a raw `+` still reaches parsePhpQuery and is read as PHP reads it.
 */
export function rawQueryOf(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return '';
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash === -1 ? undefined : hash);
}
