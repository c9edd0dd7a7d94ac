/**
 * SHA-256 of an API key (or any secret), lower-case hex, through Web Crypto (the same call in Node
 * and Workers).
 * Tokens are filed under this, never under the key: a caller is matched to a token by proving it
 * holds the key that earned it, and storage never holds the key itself.
 */
export async function keyHash(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(apiKey));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
