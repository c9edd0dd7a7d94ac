import { classify } from './classify.js';
import type { PlainResponse } from './operation.js';
import type { Outcome } from './outcome.js';

/** CloudAgent tokens live 60 minutes; at most 10 may be generated an hour; a new one voids the old. */
export const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
export const TOKEN_GENERATIONS_PER_HOUR = 10;

export type TokenResult = { ok: true; token: string } | { ok: false; outcome: Outcome };

/**
 * Reads a CAToken/generateToken answer: `{"token":"eyJ...","message":""}` on success, the
 * `{"status":"false","message":...,"data":null}` envelope otherwise. Never throws.
 */
export function parseTokenResponse(response: PlainResponse): TokenResult {
  if (response.status >= 200 && response.status < 300) {
    try {
      const body: unknown = JSON.parse(response.body.replace(/^\uFEFF/, ''));
      if (typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string') {
        const token = (body as { token: string }).token.trim();
        if (token !== '') return { ok: true, token };
      }
    } catch {
      // falls through to classify, which calls it what it is
    }
  }
  // Token generation is not itself a phone mutation: classify it as a read so nothing is "ambiguous".
  return { ok: false, outcome: classify(response, 'get') };
}

/** Whether an outcome says the token we sent is no good (and one fresh token may fix it). */
export function isTokenRejection(outcome: Outcome): boolean {
  return outcome.kind === 'auth_error' && outcome.field === 'token';
}
