import { createAccountTokenHolder, type AccountTokenHolderOptions } from './account-token-holder.js';
import { createMemoryHolderStorage, type HolderStorage } from './account-token-store.js';
import { tokenProviderOver, type AccountTokenSource } from './token-answer.js';

/**
 * Token accounts for one process (Node): a single in-memory holder behind every (account, key).
 * `storage` defaults to this process's memory. On Workers use `durableAccountTokens` from
 * `@cloudagent-phone/server/workers` instead.
 */
export function memoryAccountTokens(
  target: { baseUrl: string; timeoutMs?: number },
  options: Omit<AccountTokenHolderOptions, 'storage'> & { storage?: HolderStorage },
): AccountTokenSource {
  const holder = createAccountTokenHolder({ ...options, storage: options.storage ?? createMemoryHolderStorage() });
  return (userName, apiKey) => tokenProviderOver((request) => holder.getToken(request), { userName, apiKey, ...target });
}
