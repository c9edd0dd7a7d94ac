/**
 * The first line of a stream, trimmed; '' when the stream ends empty. Only the first line is read,
 * so `printf '%s\n' "$KEY" | caphone ...` and a here-string behave the same, and nothing else on
 * stdin is mistaken for part of the key.
 */
export async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  // Loaded here: only --api-key-stdin needs it, and a built-in outside Node's snapshot costs start-up.
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  try {
    for await (const line of lines) return line.trim();
    return '';
  } finally {
    lines.close();
  }
}
