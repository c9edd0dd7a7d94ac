import type { EncodeOptions, Outcome, PhoneOperation, PlainRequest, ReadBackJudgement, ValidationIssue } from '@cloudagent-phone/core';
import type { Logger } from './logger.js';
import type { TokenProvider } from './token-manager.js';
import type { Transport } from './transport.js';

/** Skills as a list or one comma-separated string, as people type them. */
export type SkillsInput = string[] | string;

export interface CreateInput {
  phoneNumber: string;
  phoneName: string;
  skill?: SkillsInput;
}
export interface EditInput {
  /** The existing number. */
  phoneNumber: string;
  /** The existing name. */
  phoneName: string;
  /** Default: the existing number (a rename). */
  phoneNumberNew?: string;
  phoneNameNew?: string;
  assignSkill?: SkillsInput;
  unAssignSkill?: SkillsInput;
}
export interface DeleteInput {
  phoneNumber: string;
  phoneName: string;
}
export interface GetInput {
  phoneNumber?: string;
  phoneName?: string;
}
export type OperationInput =
  | ({ action: 'create' } & CreateInput)
  | ({ action: 'edit' } & EditInput)
  | ({ action: 'delete' } & DeleteInput)
  | ({ action: 'get' } & GetInput);

export interface ClientOptions {
  /** The CloudAgent user name. */
  userName: string;
  /** The API key: sent on every request (basic), or used only to generate tokens (token). */
  apiKey?: string;
  /** The account's "API Authentication" setting. Default 'basic'. 'token' needs v2. */
  auth?: 'basic' | 'token';
  /** Token accounts: where tokens come from. Default createTokenManager over this client's transport. */
  tokenProvider?: TokenProvider;
  /** Default core's DEFAULT_BASE_URL (https://in1-ccaas-api.ozonetel.com). */
  baseUrl?: string;
  /** Default 'v2'. 'v1' logs a deprecation warning once per client; createClient only (createClientWithTransport is v2 only). */
  apiVersion?: 'v1' | 'v2';
  /**
   * Default createFetchTransport(). v2 get and read-back need one with capabilities.getWithBody
   * (any transport that says so is used for them); without it an ambiguous mutation stays `unknown`.
   */
  transport?: Transport;
  /** Per attempt, in ms; the request is cancelled when it runs out. Default 30 000. */
  timeoutMs?: number;
  /** Automatic re-sends of a retryable outcome (core's policy; never an ambiguous mutation). Default 2. */
  maxRetries?: number;
  /** Backoff between retries, in ms: first delay `baseMs` (default 500), never more than `maxMs` (default 30 000, also caps Retry-After). */
  retryDelay?: { baseMs?: number; maxMs?: number };
  /**
   * Settle ambiguous mutations by reading back with v2 get (a v1 client too, with the same key).
   * Default true.
   */
  readBack?: boolean;
  /**
   * Also read back an "already exist" answer to an edit or create, to tell an earlier attempt that
   * landed (success) and a wrong current number or name (`not_found`) from a real conflict.
   * Default true; a v1 front door that must answer as v1 did sets it false.
   */
  readBackConflicts?: boolean;
  /** Receives every log line, already redacted. Default: none (only the v1 deprecation warning goes to console.warn). */
  logger?: Logger;
  /** Spelling choices core leaves open (newNameKey, plusInJson). `baseUrl` above wins over encodeOptions.baseUrl. */
  encodeOptions?: EncodeOptions;
  /** Cancels every call of this client. */
  signal?: AbortSignal;
  /** Test hooks: jitter source in [0, 1) (default Math.random), the wait between retries, the clock. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface CallOptions {
  /** Cancels this call (the request in flight, and any wait before a retry). */
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call, in ms. */
  timeoutMs?: number;
}

/** Core's judgement of a read-back, and how many lookups (v2 get requests) it took. */
export interface ReadBackResult extends ReadBackJudgement {
  lookups: number;
}

export interface SettleOptions extends CallOptions {
  /**
   * The answer being settled, when the caller kept it (a journal, a job record). A timeout's
   * "not there yet" stays ambiguous (the request may still land). Default: sent, answer unknown.
   */
  original?: Outcome;
}

/** What `prepare` returns: the request the client would send (credentials redacted), or why not. */
export type PreparedCall =
  | { ok: true; operation: PhoneOperation; request: PlainRequest }
  | { ok: false; issues: ValidationIssue[]; outcome: Outcome };

export interface CallResult {
  /** Core's outcome, after the read-back when one happened. */
  outcome: Outcome;
  /**
   * Whether the operation's request may have reached the server: an answer came back, or an
   * attempt failed in a way that could have delivered it. False when nothing was handed over
   * (invalid input, no token) and when every attempt failed before leaving (connection refused,
   * a DNS failure, cancelled before sending): then `outcome.applied` is "no". `attempts` still
   * counts the tries.
   */
  sent: boolean;
  /** When the input was invalid (outcome.kind 'validation_error', sent false). */
  issues?: ValidationIssue[];
  /** The last request sent for the operation, with every credential redacted. */
  request?: PlainRequest;
  /** Times the operation's request was handed to the transport (read-back lookups not included). */
  attempts: number;
  durationMs: number;
  /** When an ambiguous mutation or an "already exist" answer was read back (or `settle` ran). */
  readBack?: ReadBackResult;
}

export interface PhoneClient {
  createPhoneNumber(input: CreateInput, callOptions?: CallOptions): Promise<CallResult>;
  editPhoneNumber(input: EditInput, callOptions?: CallOptions): Promise<CallResult>;
  deletePhoneNumber(input: DeleteInput, callOptions?: CallOptions): Promise<CallResult>;
  /** A v2 get (a v1 client too, with the same key), only over a transport with getWithBody. */
  getPhoneNumber(input: GetInput, callOptions?: CallOptions): Promise<CallResult>;
  /** Any action: the operation's fields with `action`. */
  run(input: OperationInput, callOptions?: CallOptions): Promise<CallResult>;
  /**
   * Settles a mutation sent earlier by reading back, never by sending it: `outcome` says whether it
   * was applied (`sent` and `attempts` are 0; `readBack.lookups` counts the gets). For bulk resume,
   * idempotent replays and jobs. Stays `unknown` where the transport cannot send v2 get.
   */
  settle(input: OperationInput, options?: SettleOptions): Promise<CallResult>;
  /** Validates and encodes without sending: the redacted request `run` would send (for dry runs). */
  prepare(input: OperationInput): PreparedCall;
}
