export { createAccountTokenHolder, type AccountTokenHolder, type AccountTokenHolderOptions } from './account-token-holder.js';
export { createMemoryHolderStorage, type HolderStorage } from './account-token-store.js';
export { DEFAULT_REFUSAL_POLICY, type RefusalPolicy } from './refusal-memory.js';
export { keyHash } from './key-hash.js';
export { tokenProviderOver, type AccountTokenSource, type TokenAnswer, type TokenRequest } from './token-answer.js';
export { memoryAccountTokens } from './memory-account-tokens.js';
export { consoleSink, createJsonLogger, type JsonLogger, type JsonLoggerOptions, type LogFields, type LogLevel, type LogSink } from './json-log.js';
export { bearerToken, constantTimeEqual, secretsMatch } from './bearer.js';
