import {
  backoffDelay,
  causeOf,
  classify,
  encodeV2,
  failureOutcome,
  isTokenRejection,
  mayRetry,
  retryAfterOf,
  type Credentials,
  type Outcome,
  type PhoneOperation,
  type PlainRequest,
} from '@cloudagent-phone/core';
import type { ClientSettings } from './client-settings.js';
import type { ApiV1 } from './client-v1.js';
import { tokenFailureOutcome, type ClientTokens } from './client-tokens.js';
import type { ClientOptions } from './client-types.js';
import type { SafeLogger } from './logger.js';
import { sendAttempt } from './signals.js';
import { TransportError, UnsupportedRequestError } from './transport-error.js';

/** What sending one operation came to: its outcome, how many times it went out, the last request. */
export interface Sent {
  outcome: Outcome;
  attempts: number;
  /** Whether any attempt may have reached the server: an answer came, or its failure was not `not_sent`. */
  reached: boolean;
  request?: PlainRequest;
}

export type Send = (op: PhoneOperation, signal: AbortSignal | undefined, perAttemptMs: number) => Promise<Sent>;

export type Encode = (op: PhoneOperation, credentials: Credentials) => PlainRequest;

/**
 * v1 has no get: lookups (read-back, and get itself) always go over v2. `v1` is given only by
 * createClient (settings say v1 only when it is), so a v2-only client never reaches v1's encoder.
 */
export function encoderFor(settings: ClientSettings, v1: ApiV1 | undefined): Encode {
  return (op, credentials) =>
    v1 && settings.apiVersion === 'v1' && op.action !== 'get' ? v1.encode(op, credentials, settings.encodeOptions) : encodeV2(op, credentials, settings.encodeOptions);
}

/**
 * The send loop: one operation, with a per-attempt deadline that cancels the request, retries
 * where core's policy allows them (never a mutation that may have reached the server), and one
 * fresh token when CloudAgent refuses the one sent. Never throws for the network.
 */
export function createSendLoop(options: ClientOptions, settings: ClientSettings, tokens: ClientTokens, log: SafeLogger, encode: Encode): Send {
  const { transport, now, sleep, maxRetries, userName } = settings;
  // Signals that did not fire, for later attempts (see sendAttempt), when the transport allows it.
  const idleSignals: AbortController[] | undefined = transport.capabilities.releasesSignal === true ? [] : undefined;

  // backoffDelay takes an undefined option as one left out.
  const delayFor = (retry: number, outcome: Outcome) =>
    backoffDelay(retry, { random: settings.random(), baseMs: options.retryDelay?.baseMs, maxMs: options.retryDelay?.maxMs, retryAfterMs: retryAfterOf(outcome) });

  return async function send(op, signal, perAttemptMs) {
    let attempts = 0;
    let reached = false;
    let retries = 0;
    let rejectedToken: string | undefined;
    let sentToken: string | undefined;
    let tokenReplaced = false;
    let request: PlainRequest | undefined;
    // What the call came to, so far: every way out of the loop returns through here.
    const sent = (outcome: Outcome): Sent => ({ outcome, attempts, reached, request });
    const cancelled = () => sent(failureOutcome({ code: 'aborted', delivery: 'not_sent' }, op.action));

    for (;;) {
      let credentials: Credentials;
      if (tokens.provider) {
        let token: string;
        try {
          token = await tokens.provider.getToken({ ...(rejectedToken !== undefined ? { rejected: rejectedToken } : {}), ...(signal ? { signal } : {}) });
        } catch (error) {
          if (signal?.aborted) return cancelled();
          const outcome = tokenFailureOutcome(error, op.action);
          // Only a network failure or a 5xx on the token endpoint is worth a retry inside the call: the
          // hourly cap (ours, or the server's 429) frees up in minutes, and a refused key stays refused.
          if (outcome.kind === 'server_error' && mayRetry(outcome, retries, maxRetries)) {
            const delay = delayFor(retries++, outcome);
            log.warn('token generation failed; retrying', { kind: outcome.kind, delayMs: delay });
            try {
              await sleep(delay, signal);
            } catch {
              return cancelled();
            }
            continue;
          }
          return sent(outcome);
        }
        sentToken = token;
        tokens.remember(token);
        credentials = { userName, token };
      } else {
        credentials = { userName, apiKey: options.apiKey as string };
      }

      request = encode(op, credentials);
      attempts++;
      const started = log.debugEnabled ? now() : 0;
      let outcome: Outcome;
      try {
        const response = await sendAttempt(transport, request, perAttemptMs, signal, idleSignals);
        reached = true;
        outcome = classify(response, op.action, { now: now() });
      } catch (error) {
        if (error instanceof UnsupportedRequestError) throw error;
        // A custom transport that throws something else is treated as the worst case: it may have sent.
        const failure = error instanceof TransportError ? error.toFailure() : { code: 'network' as const, delivery: 'maybe_sent' as const };
        if (failure.delivery !== 'not_sent') reached = true;
        outcome = failureOutcome(failure, op.action);
      }
      // Built only for a logger that takes debug lines: this runs once per request.
      if (log.debugEnabled) {
        log.debug('CloudAgent call', {
          action: op.action,
          attempt: attempts,
          transport: transport.name,
          method: request.method,
          url: request.url,
          kind: outcome.kind,
          httpStatus: outcome.httpStatus,
          cause: causeOf(outcome),
          durationMs: now() - started,
        });
      }

      // CloudAgent checks the token before it looks at the operation, so an answer of "Token
      // Expired" or "Invalid Token" means nothing was applied: sending the same mutation once more
      // with a fresh token cannot apply it twice. Once only, so a token that keeps being refused
      // cannot loop (or burn the 10-per-hour generation budget).
      if (tokens.provider && isTokenRejection(outcome) && !tokenReplaced) {
        tokenReplaced = true;
        // This attempt's own token: another call may have moved on to a newer one meanwhile.
        rejectedToken = sentToken;
        log.info('CloudAgent refused the token; replacing it once', { vendorMessage: outcome.vendorMessage });
        continue;
      }
      if (signal?.aborted) return sent(outcome);
      if (mayRetry(outcome, retries, maxRetries)) {
        const delay = delayFor(retries++, outcome);
        log.warn('retrying', { action: op.action, kind: outcome.kind, cause: causeOf(outcome), delayMs: delay, retry: retries, maxRetries });
        try {
          await sleep(delay, signal);
        } catch {
          return cancelled();
        }
        continue;
      }
      return sent(outcome);
    }
  };
}
