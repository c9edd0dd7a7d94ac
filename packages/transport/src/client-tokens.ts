import { createOutcome, type Outcome, type PhoneAction } from '@cloudagent-phone/core';
import type { ClientSettings } from './client-settings.js';
import type { ClientOptions } from './client-types.js';
import { TokenError, createTokenManagerWithTransport, type TokenProvider } from './token-manager.js';

/** A client's token handling: where tokens come from, and the ones it has sent (to redact). */
export interface ClientTokens {
  /** Token accounts only: the caller's provider, or a token manager over the client's transport. */
  provider: TokenProvider | undefined;
  /** Records a token about to be sent. */
  remember(token: string): void;
  /** Everything this client must never print: the key and the tokens it has sent. */
  secrets(): (string | undefined)[];
}

export function clientTokens(options: ClientOptions, settings: ClientSettings): ClientTokens {
  // Tokens this client has sent, newest last (a few: concurrent calls may still hold an older one).
  const seen: string[] = [];
  const provider: TokenProvider | undefined =
    settings.auth === 'token'
      ? (options.tokenProvider ??
        // The token manager takes an undefined option as one left out.
        createTokenManagerWithTransport({
          userName: settings.userName,
          apiKey: options.apiKey as string,
          transport: settings.transport,
          timeoutMs: settings.timeoutMs,
          baseUrl: settings.encodeOptions.baseUrl,
          now: options.now,
          logger: options.logger,
        }))
      : undefined;
  return {
    provider,
    remember(token) {
      if (seen[seen.length - 1] === token) return;
      seen.push(token);
      if (seen.length > 4) seen.shift();
    },
    secrets: () => [options.apiKey, ...seen],
  };
}

/**
 * A token provider or store that fails (a Durable Object or a file that cannot be read) is trouble
 * in the environment, not a programmer error: it becomes the call's outcome. Nothing of the
 * operation was sent.
 */
export function tokenFailureOutcome(error: unknown, action: PhoneAction): Outcome {
  return error instanceof TokenError
    ? createOutcome(action, error.outcome as never)
    : createOutcome(action, {
        kind: 'server_error',
        message: `could not obtain a token: ${error instanceof Error ? error.message : String(error)}`,
        retryable: false,
        cause: 'token_provider',
      });
}
