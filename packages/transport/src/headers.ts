/**
 * Response headers as a plain object: lower-case names, repeated values joined with ", ". No
 * prototype: a server's `constructor:` header is a header, not Object's constructor.
 */
export function headersToRecord(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}
