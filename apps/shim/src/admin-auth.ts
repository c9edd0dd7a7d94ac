import { bearerToken } from '@cloudagent-phone/server';

/**
 * The admin token as presented: `Authorization: Bearer <token>` (parsed by @cloudagent-phone/server,
 * as the edge's team tokens are) or `X-Shim-Admin-Token`. Compare it with `secretsMatch`.
 */
export function presentedToken(headers: { get(name: string): string | null | undefined }): string | undefined {
  return bearerToken(headers.get('authorization')) ?? headers.get('x-shim-admin-token') ?? undefined;
}
