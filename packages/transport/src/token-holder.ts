import type { Outcome } from '@cloudagent-phone/core';
import { createTokenAccounts, type KeyValueStorage, type TokenAccounts } from './token-accounts.js';
import { TokenError } from './token-manager.js';
import { untilAborted } from './signals.js';
import type { Transport } from './transport.js';

/** One caller's request to a token holder (a Durable Object, over RPC). Plain data. */
export interface TokenRequest {
  userName: string;
  /** The key generateToken is sent with; the holder keeps only its hash. */
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** The token CloudAgent just refused ("Token Expired"): replaced once, if still current. */
  rejected?: string;
}

/** Errors lose their own fields crossing RPC; the outcome travels as data instead. */
export type TokenAnswer = { ok: true; token: string } | { ok: false; outcome: Outcome };

export interface TokenHolder {
  getToken(request: TokenRequest): Promise<TokenAnswer>;
}

/**
 * The inside of a token-holding Durable Object (one per account, so every isolate of every Worker
 * bound to it shares one token, one single flight and one hourly budget): token accounts over the
 * object's storage, answering with data rather than throwing. The object's class is a few lines in
 * each app (it must extend the runtime's DurableObject); this is the part they share.
 */
export function createTokenHolder(options: { storage: KeyValueStorage; transport: Transport }): TokenHolder {
  const byConfig = new Map<string, TokenAccounts>();
  return {
    async getToken({ userName, apiKey, baseUrl, timeoutMs, rejected }) {
      // One set of token managers per CloudAgent host, whoever asks (an edge and a shim may share
      // the object): the first caller's timeout is the one used for that host's generations.
      const configKey = baseUrl ?? '';
      let accounts = byConfig.get(configKey);
      if (!accounts) {
        accounts = createTokenAccounts({
          storage: options.storage,
          transport: options.transport,
          ...(baseUrl !== undefined ? { baseUrl } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        });
        byConfig.set(configKey, accounts);
      }
      try {
        return { ok: true, token: await accounts.getToken(userName, apiKey, rejected !== undefined ? { rejected } : {}) };
      } catch (error) {
        if (error instanceof TokenError) return { ok: false, outcome: error.outcome };
        throw error;
      }
    },
  };
}

/**
 * TokenAccounts whose tokens live in a holder elsewhere (`holderFor(userName)`: the account's
 * Durable Object stub). The caller's `signal` stops its own wait; the holder's generation goes on
 * for the others who share it.
 */
export function remoteTokenAccounts(holderFor: (userName: string) => TokenHolder, defaults: { baseUrl?: string; timeoutMs?: number } = {}): TokenAccounts {
  const getToken: TokenAccounts['getToken'] = async (userName, apiKey, callOptions = {}) => {
    const answer = await untilAborted(
      holderFor(userName).getToken({ userName, apiKey, ...defaults, ...(callOptions.rejected !== undefined ? { rejected: callOptions.rejected } : {}) }),
      callOptions.signal,
    );
    if (!answer.ok) throw new TokenError(answer.outcome);
    return answer.token;
  };
  return { getToken, providerFor: (userName, apiKey) => ({ getToken: (callOptions) => getToken(userName, apiKey, callOptions) }) };
}
