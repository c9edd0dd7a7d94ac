export type { Transport, TransportCapabilities, TransportResponse } from './transport.js';
export { TransportError, UnsupportedRequestError, GET_WITH_BODY_FIX } from './transport-error.js';
export { createFetchTransport, type FetchTransportOptions } from './fetch-transport.js';
export { createOfetchTransport, type OfetchTransportOptions } from './ofetch-transport.js';
export { createClient, createClientWithTransport } from './client.js';
export { V1_DEPRECATION_WARNING } from './client-v1.js';
export type {
  CallOptions,
  CallResult,
  ClientOptions,
  CreateInput,
  DeleteInput,
  EditInput,
  GetInput,
  OperationInput,
  PhoneClient,
  PreparedCall,
  ReadBackResult,
  SettleOptions,
  SkillsInput,
} from './client-types.js';
/** Moved to core (still here for callers of 0.x). */
export { settleByReadBack } from '@cloudagent-phone/core';
export { TokenError, createTokenManager, createTokenManagerWithTransport, type TokenManagerOptions, type TokenProvider } from './token-manager.js';
export { createMemoryTokenStore, type StoredToken, type TokenStore } from './token-store.js';
export type { LogFields, LogMethod, Logger } from './logger.js';
// Cancellation helpers the packages built on the client share (bulk's pacer, server's token holder).
export { abortableSleep, untilAborted } from './signals.js';
