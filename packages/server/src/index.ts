export { createAccountTokenHolder, createMemoryHolderStorage, type AccountTokenHolder, type AccountTokenHolderOptions, type HolderStorage } from './account-token-holder.js';
export { DEFAULT_REFUSAL_POLICY, type RefusalPolicy } from './refusal-memory.js';
export { keyHash } from './key-hash.js';
export { tokenProviderOver, type AccountTokenSource, type TokenAnswer, type TokenRequest } from './token-answer.js';
export { memoryAccountTokens } from './memory-account-tokens.js';
