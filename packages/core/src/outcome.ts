import { isMutation, type PhoneAction } from './operation.js';

/**
 * How far a request got before a network failure, as the transport can tell:
 * - `not_sent`: provably never left (DNS failure, connection refused, aborted before connecting).
 * - `maybe_sent`: bytes may have reached the server (timeout or reset after connecting).
 */
export type Delivery = 'not_sent' | 'maybe_sent';

/** Network-level failure codes a transport reports. */
export type FailureCode = 'timeout' | 'aborted' | 'connect_failed' | 'dns' | 'reset' | 'tls' | 'network' | 'invalid_request';

/**
 * Why an answer was not a CloudAgent answer (or there was no answer):
 * - a `FailureCode`: no response at all;
 * - `token_provider`: no token could be had, so nothing of the operation was sent;
 * - `token_cap`: the client's own count of token generations this hour refused a new one;
 * - `token_refusal_remembered`: CloudAgent refused this key for a token moments ago, so it was not
 *   asked again (a token holder's refusal memory);
 * - `token_unproven_keys`: too many keys that never earned a token were checked lately, so this one
 *   was not checked (a token holder's ration);
 * - `http_status`: a status CloudAgent does not answer with (5xx, an unexpected 4xx) and no CloudAgent body;
 * - `not_cloudagent`: an HTML page, an empty, truncated, garbled or non-object body;
 * - `redirect`: a 3xx (transports never follow one);
 * - `unfamiliar_success`: status `success` in words this version does not know.
 */
export type OutcomeCause =
  | FailureCode
  | 'token_provider'
  | 'token_cap'
  | 'token_refusal_remembered'
  | 'token_unproven_keys'
  | 'http_status' | 'not_cloudagent' | 'redirect' | 'unfamiliar_success';

/** Whether a mutation took effect. Reads (`get`) change nothing and carry no `applied`. */
export type Applied = 'yes' | 'no' | 'unknown';

/**
 * What came of one call, in terms a program can branch on: a union on `kind`, each kind with
 * exactly the fields it can have.
 *
 * - `success`: CloudAgent said the change was made (or, for get, returned the record in `data`).
 * - `partial_success`: the number was changed but the skills were not ("failed to insert skills").
 * - `auth_error`: user name, API key or token rejected.
 * - `invalid_action`: "action not valid".
 * - `validation_error`: a value was rejected (by CloudAgent, or before sending); `field` names it.
 * - `conflict`: "phone_name or phone_number already exist".
 * - `not_found`: the number or the name does not exist, or the name is not the number's
 *   (`nameMismatch`). The vendor documents no wording: see docs/decisions.md.
 * - `limit_exceeded`: the account's phone-number limit is reached.
 * - `rate_limited`: CloudAgent's 429 or "Max limit exceeded"; `retryAfterMs` when the server said.
 * - `rejected`: CloudAgent answered `status: error` in words no page documents: a definite refusal,
 *   its message kept verbatim in `vendorMessage`.
 * - `server_error`: no usable answer and, for a mutation, proof that nothing was applied (it never
 *   left, or a read-back showed it). For a read: any failed lookup.
 * - `unknown`: a mutation that may or may not have been applied (a dropped connection after
 *   sending, a 5xx, any non-CloudAgent page, an unfamiliar success). Read back, never re-send.
 *
 * `applied` (mutations only) follows from `kind` alone, in `appliedOf`: yes for the two successes,
 * unknown for `unknown`, no for every other kind.
 */
export type Outcome =
  | SuccessOutcome
  | PartialSuccessOutcome
  | AuthErrorOutcome
  | InvalidActionOutcome
  | ValidationErrorOutcome
  | ConflictOutcome
  | NotFoundOutcome
  | LimitExceededOutcome
  | RateLimitedOutcome
  | RejectedOutcome
  | ServerErrorOutcome
  | UnknownOutcome;

export type OutcomeKind = Outcome['kind'];

export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'success',
  'partial_success',
  'auth_error',
  'invalid_action',
  'validation_error',
  'conflict',
  'not_found',
  'limit_exceeded',
  'rate_limited',
  'rejected',
  'server_error',
  'unknown',
];

/** Fields every outcome may carry. */
export interface OutcomeBase {
  /** A readable sentence: the vendor's message with its padding and line breaks folded, or ours. */
  message: string;
  /**
   * Whether the client may send the very same request again on its own: reads that failed
   * transiently, and mutations refused at the door (429) or that provably never left.
   */
  retryable: boolean;
  /** HTTP status, when there was a response. */
  httpStatus?: number;
  /** The body's `status` field as sent (`success`, `error`, `false`). */
  vendorStatus?: string;
  /** The body's `message` field exactly as sent. */
  vendorMessage?: string;
  /** From `x-request-id` (or similar) when the server sent one. */
  requestId?: string;
}

/** The record a v2 `get` returns. */
export interface PhoneRecord {
  phoneNumber: string;
  phoneName: string;
}

export interface SuccessOutcome extends OutcomeBase {
  kind: 'success';
  applied?: 'yes';
  /** For get: the record found. */
  data?: PhoneRecord;
}
export interface PartialSuccessOutcome extends OutcomeBase {
  kind: 'partial_success';
  applied?: 'yes';
  field: 'skill';
}
export interface AuthErrorOutcome extends OutcomeBase {
  kind: 'auth_error';
  applied?: 'no';
  /** `token` when the token (not the key) was refused; `userName` when the message names it. */
  field?: string;
  /** `token_refusal_remembered` when a token holder answered from its memory of a recent refusal. */
  cause?: 'token_refusal_remembered';
}
export interface InvalidActionOutcome extends OutcomeBase {
  kind: 'invalid_action';
  applied?: 'no';
}
export interface ValidationErrorOutcome extends OutcomeBase {
  kind: 'validation_error';
  applied?: 'no';
  /** The operation field the message names (`phoneNumber`, `phoneName`, `skill`, `userName`). */
  field?: string;
}
export interface ConflictOutcome extends OutcomeBase {
  kind: 'conflict';
  applied?: 'no';
}
export interface NotFoundOutcome extends OutcomeBase {
  kind: 'not_found';
  applied?: 'no';
  /** What does not exist: the number or the name, when the answer says. */
  field?: 'phoneNumber' | 'phoneName';
  /** The number exists, but not with the current name given (a wrong current name). */
  nameMismatch: boolean;
  /** With `nameMismatch`, when a read-back saw it: the name the number really has. */
  actualName?: string;
}
export interface LimitExceededOutcome extends OutcomeBase {
  kind: 'limit_exceeded';
  applied?: 'no';
}
export interface RateLimitedOutcome extends OutcomeBase {
  kind: 'rate_limited';
  applied?: 'no';
  /** From `Retry-After`, in milliseconds, when present and parseable. */
  retryAfterMs?: number;
  /**
   * `token_cap` when the client's own hourly count of token generations said no;
   * `token_unproven_keys` when a token holder rationed checks of keys that never earned a token.
   */
  cause?: 'token_cap' | 'token_unproven_keys';
}
export interface RejectedOutcome extends OutcomeBase {
  kind: 'rejected';
  applied?: 'no';
  /** CloudAgent's words, verbatim. */
  vendorMessage: string;
}
export interface ServerErrorOutcome extends OutcomeBase {
  kind: 'server_error';
  applied?: 'no';
  cause?: OutcomeCause;
  retryAfterMs?: number;
}
export interface UnknownOutcome extends OutcomeBase {
  kind: 'unknown';
  applied?: 'unknown';
  cause?: OutcomeCause;
  retryAfterMs?: number;
}

/** The outcome type of one kind. */
export type OutcomeOf<K extends OutcomeKind> = Extract<Outcome, { kind: K }>;

/** An outcome as its maker writes it: `applied` is never written by hand (see `createOutcome`). */
export type OutcomeInit<K extends OutcomeKind = OutcomeKind> = K extends OutcomeKind ? Omit<OutcomeOf<K>, 'applied'> : never;

/** The one place `applied` is decided: from the kind alone. */
export function appliedOf(kind: OutcomeKind): Applied {
  switch (kind) {
    case 'success':
    case 'partial_success':
      return 'yes';
    case 'unknown':
      return 'unknown';
    default:
      return 'no';
  }
}

/**
 * Builds an outcome for one action: for a mutation it adds `applied`, derived from the kind. Every
 * outcome in this library is made here, so `applied` and `kind` cannot disagree.
 */
export function createOutcome<K extends OutcomeKind>(action: PhoneAction | undefined, init: OutcomeInit<K> & { kind: K }): OutcomeOf<K> {
  if (action === undefined || !isMutation(action)) return init as unknown as OutcomeOf<K>;
  return { ...init, applied: appliedOf(init.kind) } as unknown as OutcomeOf<K>;
}

/** Whether a mutation may or may not have been applied: the only state a read-back can settle. */
export function isAmbiguous(outcome: Pick<Outcome, 'kind'>): boolean {
  return outcome.kind === 'unknown';
}

/** The server's `Retry-After`, in ms, on the kinds that carry one. */
export function retryAfterOf(outcome: Outcome): number | undefined {
  return 'retryAfterMs' in outcome ? outcome.retryAfterMs : undefined;
}

/** Why there was no CloudAgent answer, on the kinds that carry a cause. */
export function causeOf(outcome: Outcome): OutcomeCause | undefined {
  return 'cause' in outcome ? outcome.cause : undefined;
}

/** The operation field an outcome names, on the kinds that name one. */
export function fieldOf(outcome: Outcome): string | undefined {
  return 'field' in outcome ? outcome.field : undefined;
}
