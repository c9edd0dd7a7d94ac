import { constantTimeEqual } from '@cloudagent-phone/server';

/**
 * The dashboard's sign-in: a browser cannot send the admin bearer header, so the sign-in form trades
 * the token for a cookie. The cookie holds no token, only an expiry and an HMAC of it keyed with
 * the token: any isolate or process with the same SHIM_ADMIN_TOKEN can check it (no session store),
 * and changing the token signs everyone out. HttpOnly (no script reads it), SameSite=Strict (no
 * other site's page sends it), Secure, and scoped to /_shim.
 */
export const SESSION_COOKIE = 'shim_admin_session';
export const SESSION_TTL_MS = 8 * 3_600_000;
const COOKIE_PATH = '/_shim';

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function signature(adminToken: string, expires: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(adminToken), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64url(await crypto.subtle.sign('HMAC', key, encoder.encode(`shim-dashboard-session:${expires}`)));
}

export async function sessionCookie(adminToken: string, now: number): Promise<string> {
  const expires = now + SESSION_TTL_MS;
  const value = `${expires}.${await signature(adminToken, expires)}`;
  return `${SESSION_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; Secure; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=${COOKIE_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export async function hasValidSession(cookieHeader: string | null | undefined, adminToken: string, now: number): Promise<boolean> {
  const value = cookieValue(cookieHeader, SESSION_COOKIE);
  const match = value ? /^(\d{1,16})\.([\w-]{43})$/.exec(value) : null;
  if (!match) return false;
  const expires = Number(match[1]);
  if (!(expires > now) || expires > now + SESSION_TTL_MS) return false;
  // Both are HMAC outputs of one length: a compare without an early exit is enough.
  return constantTimeEqual(match[2]!, await signature(adminToken, expires));
}
