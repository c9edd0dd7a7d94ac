/**
 * Compares a presented admin token with the configured one in time that does not depend on where
 * they differ: both are hashed (SHA-256, so lengths no longer matter) and every byte is compared.
 * Web Crypto only, so the same code runs on Node and Workers.
 */
export async function tokensMatch(presented: string | undefined, expected: string): Promise<boolean> {
  if (presented === undefined) return false;
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(presented)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** The token from `Authorization: Bearer <token>` or `X-Shim-Admin-Token`. */
export function presentedToken(headers: { get(name: string): string | null | undefined }): string | undefined {
  const auth = headers.get('authorization');
  const bearer = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1] : undefined;
  return bearer ?? headers.get('x-shim-admin-token') ?? undefined;
}
