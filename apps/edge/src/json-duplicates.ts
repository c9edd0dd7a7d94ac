/**
 * The keys that occur more than once at the top level of a JSON object's text. JSON.parse keeps the
 * last of each silently, which for a map of accounts means one entry quietly replaces another. The
 * text is assumed to be valid JSON (JSON.parse has accepted it); this only scans it, token by token:
 * a whole string at a time (so brackets and quotes inside one are skipped), or a bracket.
 */
export function duplicateTopLevelKeys(text: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  let depth = 0;
  for (const [token] of text.matchAll(/"(?:[^"\\]|\\.)*"\s*:?|[{}[\]]/g)) {
    if (!token.startsWith('"')) depth += token === '{' || token === '[' ? 1 : -1;
    // At depth 1 (inside the top-level object), a string followed by ':' is a key.
    else if (depth === 1 && token.endsWith(':')) {
      const key = JSON.parse(token.slice(0, -1)) as string;
      (seen.has(key) ? twice : seen).add(key);
    }
  }
  return [...twice];
}
