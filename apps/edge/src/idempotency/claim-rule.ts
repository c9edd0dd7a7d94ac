import { IDEMPOTENCY_TTL_MS, type Claim, type StoredAnswer } from './store.js';

/** One key as both stores keep it. */
export interface KeyRecord {
  fingerprint: string;
  /** When the current holder claimed it (refreshed when an abandoned claim is taken over). */
  claimedAt: number;
  expiresAt: number;
  answer?: StoredAnswer;
}

/**
 * The one definition of what a claim finds, pure, so the Durable Object and the in-memory store
 * cannot disagree: the record to write (if any) and the answer.
 */
export function decideClaim(record: KeyRecord | undefined, fingerprint: string, now: number, leaseMs: number): { claim: Claim; write?: KeyRecord } {
  if (!record || record.expiresAt <= now) {
    return { claim: { state: 'claimed' }, write: { fingerprint, claimedAt: now, expiresAt: now + IDEMPOTENCY_TTL_MS } };
  }
  if (record.fingerprint !== fingerprint) return { claim: { state: 'mismatch' } };
  if (record.answer) return { claim: { state: 'completed', answer: record.answer } };
  if (now - record.claimedAt < leaseMs) return { claim: { state: 'in_flight' } };
  // Taken over by this request, so a second replay meanwhile waits (409) instead of reading back too.
  return { claim: { state: 'abandoned' }, write: { ...record, claimedAt: now } };
}
