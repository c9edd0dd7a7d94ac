import { TOKEN_GENERATIONS_PER_HOUR, TOKEN_LIFETIME_MS, VENDOR_MESSAGES as M } from '@cloudagent-phone/core';
import type { ResolvedOptions } from './options.js';
import type { Answer } from './phone.js';
import type { SimulatorState } from './store.js';

const HOUR_MS = 60 * 60 * 1000;

/** The envelope CAToken and token-checking endpoints answer with. */
export const tokenEnvelope = (message: string, httpStatus = 200): Answer => ({ httpStatus, body: { status: 'false', message, data: null } });

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomPart(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return base64url(String.fromCharCode(...bytes));
}

/** JWT-shaped (`eyJ...`), as CloudAgent's are, so redaction patterns meet the real shape. Opaque to callers. */
function mintToken(userName: string, now: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: userName, iat: Math.floor(now / 1000), exp: Math.floor((now + TOKEN_LIFETIME_MS) / 1000), jti: randomPart() }));
  return `${header}.${payload}.${randomPart()}`;
}

export type TokenCheck = 'ok' | 'empty' | 'invalid' | 'expired';

export class TokenDesk {
  constructor(
    private readonly state: SimulatorState,
    private readonly options: ResolvedOptions,
  ) {}

  /** POST /ca_apis/CAToken/generateToken. */
  generate(apiKey: string | undefined, userName: unknown): Answer {
    if (typeof userName !== 'string' || userName.trim() === '') return tokenEnvelope(M.tokenUserNameNull);
    if (apiKey !== this.options.apiKey || userName !== this.options.userName) return tokenEnvelope(M.tokenInvalidCredentials);
    const now = this.options.now();
    const recent = this.state.tokens.generatedAt.filter((t) => now - t < HOUR_MS);
    if (recent.length >= TOKEN_GENERATIONS_PER_HOUR) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + HOUR_MS - now) / 1000));
      return { httpStatus: 429, headers: { 'retry-after': String(retryAfter) }, body: { status: 'error', message: M.rateLimited } };
    }
    const token = mintToken(userName, now);
    // A new token voids every earlier one: only `current` is ever accepted.
    this.state.tokens = { current: { token, expiresAt: now + TOKEN_LIFETIME_MS }, generatedAt: [...recent, now] };
    this.state.tokensChanged();
    return { httpStatus: 200, body: { token, message: '' } };
  }

  check(token: string | undefined): TokenCheck {
    if (token === undefined || token.trim() === '') return 'empty';
    const current = this.state.tokens.current;
    if (!current || current.token !== token.trim()) return 'invalid';
    return this.options.now() >= current.expiresAt ? 'expired' : 'ok';
  }
}

/** The token in an Authorization header: `Bearer <token>`, or the raw token some clients send. */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bearer(?:\s+(.*))?$/i.exec(header);
  return (m ? (m[1] ?? '') : header).trim();
}

export const TOKEN_REJECTIONS: Record<Exclude<TokenCheck, 'ok'>, string> = {
  empty: M.tokenEmpty,
  invalid: M.tokenInvalid,
  expired: M.tokenExpired,
};
