/**
 * Where idempotency keys live, per team: one interface, two homes. On Workers one Durable Object per
 * team (durable, exact across isolates); on Node a Map in one process (see memory-store.ts). The
 * contract suite in test/suite/idempotency-store-contract.ts runs against both.
 *
 * Every method takes the caller's clock reading (`now`, ms since the epoch), so expiry is testable
 * with an injected clock in both homes.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The first answer to a keyed request, kept to be answered again. */
export interface StoredAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The `outcome` the answer carries (core's kind, or a problem's type when CloudAgent was not involved). */
  outcome: string;
  /**
   * The request may or may not have been applied (core's `unknown`): a replay reads back to settle
   * it, never sends. `cause` and `message` are the first outcome's, for core's settling rules (a
   * timeout stays unknown when the read-back finds nothing yet).
   */
  ambiguous?: { message: string; cause?: string; httpStatus?: number };
  /** The X-Request-Id of the request that produced this answer. */
  requestId: string;
}

export type Claim =
  /** The key is new (or expired): this request owns it until it completes or releases it. */
  | { state: 'claimed' }
  /** The key was first used for a different method, path or body. */
  | { state: 'mismatch' }
  /** The first request with this key has not finished. */
  | { state: 'in_flight' }
  /** The first request finished: here is its answer. */
  | { state: 'completed'; answer: StoredAnswer }
  /**
   * The first request claimed the key and never finished (its isolate or process went away while the
   * call was out): it may or may not have reached CloudAgent, so it counts as an ambiguous answer.
   */
  | { state: 'abandoned' };

export interface IdempotencyStore {
  /**
   * Claims `key` for a request with this fingerprint, or says what the key already holds. A claim
   * not completed within `leaseMs` is treated as abandoned.
   */
  claim(team: string, key: string, fingerprint: string, now: number, leaseMs: number): Promise<Claim>;
  /** Stores the answer for a claimed (or abandoned, or ambiguous) key; kept until 24 h after the claim. */
  complete(team: string, key: string, answer: StoredAnswer, now: number): Promise<void>;
  /** Forgets a claimed key whose request sent nothing, so the same key may be used again. */
  release(team: string, key: string): Promise<void>;
}
