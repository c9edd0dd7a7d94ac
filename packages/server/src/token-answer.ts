import type { Outcome } from '@cloudagent-phone/core';
import { TokenError, untilAborted, type TokenProvider } from '@cloudagent-phone/transport';

/** What a caller asks the holder for: a token for this account, earned with this key. */
export interface TokenRequest {
  userName: string;
  /** Sent to generateToken only; the holder files tokens under its SHA-256. */
  apiKey: string;
  /** The CloudAgent host (CAToken lives beside PhoneManageV2). */
  baseUrl: string;
  /** Per generateToken request, ms. Default the token manager's (30 s). */
  timeoutMs?: number;
  /** The token CloudAgent just refused ("Token Expired"): replaced once, if still the current one. */
  rejected?: string;
}

/**
 * The holder's answer as plain data: errors lose their own fields crossing a Durable Object's RPC,
 * so a failure travels as core's outcome and becomes a TokenError again on the caller's side.
 */
export type TokenAnswer = { ok: true; token: string } | { ok: false; outcome: Outcome };

/** Where an app gets a token provider for one (account, key): in memory on Node, a Durable Object on Workers. */
export type AccountTokenSource = (userName: string, apiKey: string) => TokenProvider;

/**
 * A TokenProvider (what the transport's client asks) over anything that answers TokenRequests. The
 * caller's AbortSignal stops its own wait only: the generation others share carries on.
 */
export function tokenProviderOver(
  ask: (request: TokenRequest) => Promise<TokenAnswer>,
  fixed: Omit<TokenRequest, 'rejected'>,
): TokenProvider {
  return {
    async getToken(options = {}) {
      const answer = await untilAborted(ask({ ...fixed, rejected: options.rejected }), options.signal);
      if (!answer.ok) throw new TokenError(answer.outcome);
      return answer.token;
    },
  };
}
