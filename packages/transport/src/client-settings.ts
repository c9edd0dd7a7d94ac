import type { EncodeOptions } from '@cloudagent-phone/core';
import type { ClientOptions } from './client-types.js';
import type { ApiV1 } from './client-v1.js';
import { abortableSleep } from './signals.js';
import type { Transport } from './transport.js';

/** createClient's options, checked once and with every default filled in. */
export interface ClientSettings {
  apiVersion: 'v1' | 'v2';
  auth: 'basic' | 'token';
  /** Trimmed: core's schema checks the trimmed value, so that is what is sent. */
  userName: string;
  transport: Transport;
  /** Per attempt, in ms. */
  timeoutMs: number;
  maxRetries: number;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  encodeOptions: EncodeOptions;
  /** Ambiguous mutations (and conflicts) can be read back: allowed, and the transport can send v2 get. */
  canReadBack: boolean;
  readBackConflicts: boolean;
}

function assertTransport(transport: unknown): asserts transport is Transport {
  const t = transport as Partial<Transport> | null;
  if (typeof t !== 'object' || t === null || typeof t.send !== 'function' || typeof t.capabilities?.getWithBody !== 'boolean') {
    throw new TypeError('createClient: transport must be { name, capabilities: { getWithBody: boolean }, send(request, signal) }');
  }
}

function assertBaseUrl(baseUrl: string | undefined): void {
  if (baseUrl === undefined) return;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`createClient: baseUrl must be an absolute http(s) URL such as https://in1-ccaas-api.ozonetel.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('createClient: baseUrl must start with https:// or http://');
  if (url.search !== '' || url.hash !== '') throw new TypeError('createClient: baseUrl must not carry a query string or fragment');
}

export function positiveNumber(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`createClient: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return value;
}

/**
 * Checks createClient's options in a fixed order (the first wrong one is the error) and fills in
 * the defaults. Throws a TypeError naming the option: these are programmer errors. `v1`: what
 * createClient gives to speak v1; without it (createClientWithTransport) apiVersion 'v1' is refused.
 */
export function clientSettings(options: ClientOptions, defaultTransport: (() => Transport) | undefined, v1: ApiV1 | undefined): ClientSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError('createClient: options are required ({ userName, apiKey, ... })');
  const apiVersion = options.apiVersion ?? 'v2';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') throw new TypeError("createClient: apiVersion must be 'v1' or 'v2'");
  if (apiVersion === 'v1' && !v1) throw new TypeError("createClientWithTransport speaks v2 only: use createClient for apiVersion 'v1'");
  const auth = options.auth ?? 'basic';
  if (auth !== 'basic' && auth !== 'token') throw new TypeError("createClient: auth must be 'basic' or 'token' (the account's API Authentication setting)");
  if (apiVersion === 'v1') v1?.checkAuth(auth);
  if (auth === 'token' && options.apiKey === undefined && options.tokenProvider === undefined) {
    throw new TypeError("createClient: auth 'token' needs apiKey (to generate tokens) or a tokenProvider");
  }
  // Core's schema trims the user name when it checks it; what is sent must be what was checked.
  const userName = typeof options.userName === 'string' ? options.userName.trim() : options.userName;
  // No default here (createClientWithTransport has none): a bundle that never calls createClient
  // leaves the fetch transport out.
  const given = options.transport ?? defaultTransport?.();
  assertTransport(given);
  const transport: Transport = given;
  assertBaseUrl(options.baseUrl);
  return {
    apiVersion,
    auth,
    userName,
    transport,
    timeoutMs: positiveNumber('timeoutMs', options.timeoutMs, 30_000),
    maxRetries: Math.floor(positiveNumber('maxRetries', options.maxRetries, 2, true)),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? abortableSleep,
    encodeOptions: { ...options.encodeOptions, ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}) },
    // Read-back is a v2 get with the same credentials, whatever version the client sends mutations
    // over: the key a v1 client sends in the query string is the account's v2 key too.
    canReadBack: options.readBack !== false && transport.capabilities.getWithBody,
    readBackConflicts: options.readBackConflicts !== false,
  };
}
