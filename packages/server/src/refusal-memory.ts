/**
 * How a token holder keeps anonymous callers from making it hammer generateToken. Every key the
 * holder has not seen earn a token costs a generateToken call to check, so:
 * - a key CloudAgent refused is answered from memory for `rememberMs`, per (account, key hash);
 * - keys that never earned a token get `maxUnprovenAttempts` checks per account per
 *   `unprovenWindowMs`; past that they wait, while keys that did earn one carry on untouched.
 */
export interface RefusalPolicy {
  /** How long a refused (account, key hash) is answered without asking CloudAgent, ms. Default 60 000. */
  rememberMs: number;
  /** generateToken calls with not-yet-proven keys, per account per window. Default 5. */
  maxUnprovenAttempts: number;
  /** The window of that cap, ms. Default 600 000 (10 minutes). */
  unprovenWindowMs: number;
  /** Refusals remembered at once (the oldest are forgotten first). Default 1 000. */
  maxRemembered: number;
}

export const DEFAULT_REFUSAL_POLICY: RefusalPolicy = { rememberMs: 60_000, maxUnprovenAttempts: 5, unprovenWindowMs: 600_000, maxRemembered: 1_000 };

export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class RefusalMemory {
  readonly policy: RefusalPolicy;
  // Map order is insertion order: the first entry is the oldest refusal.
  readonly #refusedUntil = new Map<string, number>();
  readonly #attempts = new Map<string, number[]>();

  constructor(policy: Partial<RefusalPolicy> = {}) {
    this.policy = { ...DEFAULT_REFUSAL_POLICY, ...policy };
  }

  /** When a remembered refusal of this (account, key hash) ends, or undefined if none stands. */
  refusedUntil(id: string, now: number): number | undefined {
    const until = this.#refusedUntil.get(id);
    if (until === undefined) return undefined;
    if (now < until) return until;
    this.#refusedUntil.delete(id);
    return undefined;
  }

  remember(id: string, now: number): void {
    this.#refusedUntil.delete(id);
    this.#refusedUntil.set(id, now + this.policy.rememberMs);
    while (this.#refusedUntil.size > this.policy.maxRemembered) {
      const oldest = this.#refusedUntil.keys().next().value;
      if (oldest === undefined) break;
      this.#refusedUntil.delete(oldest);
    }
  }

  /** Takes one of the account's checks of an unproven key, if one is left in the window. */
  takeUnprovenAttempt(userName: string, now: number): AttemptDecision {
    const { maxUnprovenAttempts: cap, unprovenWindowMs: windowMs } = this.policy;
    const recent = (this.#attempts.get(userName) ?? []).filter((t) => now - t < windowMs);
    if (recent.length >= cap) {
      this.#attempts.set(userName, recent);
      return { allowed: false, retryAfterMs: Math.max(1, (recent[recent.length - cap] ?? now) + windowMs - now) };
    }
    recent.push(now);
    this.#attempts.set(userName, recent);
    return { allowed: true };
  }
}
