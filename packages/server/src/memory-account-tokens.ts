import { createAccountTokenHolder, type AccountTokenHolderOptions } from './account-token-holder.js';
import { tokenProviderOver, type AccountTokenSource } from './token-answer.js';

/**
 * Token accounts for one process (Node): a single in-memory holder behind every (account, key).
 * On Workers use `durableAccountTokens` from `@cloudagent-phone/server/workers` instead.
 */
export function memoryAccountTokens(target: { baseUrl: string; timeoutMs?: number }, options: AccountTokenHolderOptions): AccountTokenSource {
  const holder = createAccountTokenHolder(options);
  return (userName, apiKey) => tokenProviderOver((request) => holder.getToken(request), { userName, apiKey, ...target });
}
