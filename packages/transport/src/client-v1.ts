import { encodeV1, type Credentials, type EncodeOptions, type PhoneOperation, type PlainRequest } from '@cloudagent-phone/core';
import type { ClientOptions } from './client-types.js';
import type { SafeLogger } from './logger.js';

export const V1_DEPRECATION_WARNING =
  "CloudAgent's v1 endpoint (/CAServices/PhoneManageV2.php) passed its announced deprecation date (30 April 2025) and may stop answering: move to apiVersion 'v2'";

/**
 * What a client needs to send mutations over v1: the option check v1 adds, its encoder and its
 * deprecation notice. Handed to the client by `createClient` only, so `createClientWithTransport`
 * (v2 only) reaches none of it and a Worker bundle built on it leaves v1 out (about 0.4 KB gzip).
 */
export interface ApiV1 {
  /** Throws a TypeError for an auth v1 cannot do (checked in createClient's order of checks). */
  checkAuth(auth: 'basic' | 'token'): void;
  encode(operation: PhoneOperation, credentials: Credentials, options: EncodeOptions): PlainRequest;
  /** Once per client, at creation. */
  warnDeprecated(log: SafeLogger, options: ClientOptions): void;
}

export const API_V1: ApiV1 = {
  checkAuth(auth) {
    if (auth === 'token') throw new TypeError("createClient: v1 has no token authentication; use apiVersion 'v2' with auth 'token', or auth 'basic' with v1");
  },
  encode: encodeV1,
  warnDeprecated(log, options) {
    // With no logger a deprecation nobody sees is useless, so this one line (and only this one)
    // falls back to console.warn.
    if (options.logger?.warn) log.warn(V1_DEPRECATION_WARNING);
    else console.warn(`[cloudagent-phone] ${V1_DEPRECATION_WARNING}`);
  },
};
