/**
 * The keys that occur more than once at the top level of a JSON object's text. JSON.parse keeps the
 * last of each silently, which for a map of accounts means one entry quietly replaces another. The
 * text is assumed to be valid JSON (JSON.parse has accepted it); this only scans it.
 */
export function duplicateTopLevelKeys(text: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  let depth = 0;
  let i = 0;
  // At depth 1 (inside the top-level object), a string directly before ':' is a key.
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && nextNonSpace(text, end) === ':') {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (seen.has(key)) twice.add(key);
        seen.add(key);
      }
      i = end;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    i++;
  }
  return [...twice];
}

/** The index just past the string that starts at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return i;
}

function nextNonSpace(text: string, from: number): string | undefined {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return text[i];
}
