/**
 * The audit trail, per team: one interface, two homes. On Workers the team's Durable Object (the same
 * one that keeps its idempotency keys); on Node an array in one process (see memory-store.ts). The
 * contract suite in test/suite/audit-store-contract.ts runs against both.
 */
export const AUDIT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** A phone number as it stood before or after a change. */
export interface NumberState {
  phoneNumber: string;
  phoneName: string;
}

/** One mutation that went through the edge to CloudAgent. Holds no credential of any kind. */
export interface AuditRecord {
  /** When the edge answered, ms since the epoch. */
  time: number;
  team: string;
  /** The CloudAgent account acted on. */
  userName: string;
  action: 'create' | 'edit' | 'delete';
  /** null for a create. */
  before: NumberState | null;
  /** What was asked for; null for a delete. */
  after: NumberState | null;
  /** Core's outcome kind as answered (`unknown` when it may or may not have been applied). */
  outcome: string;
  status: number;
  requestId: string;
  /** A replay that settled an earlier ambiguous answer by reading back: that request's id. */
  settles?: string;
}

/** As read back: with its place in the team's trail and the time as RFC 3339. */
export interface AuditEntry extends Omit<AuditRecord, 'time'> {
  /** Increasing within a team; pass the last one as `after` for the next page. */
  id: number;
  time: string;
}

export interface AuditQuery {
  /** Entries at or after this time (ms). */
  since: number;
  /** Entries with a larger id only (paging). */
  after?: number;
  limit: number;
}

export interface AuditStore {
  append(team: string, record: AuditRecord): Promise<void>;
  /** Oldest first; nothing older than 30 days before `now`. */
  list(team: string, query: AuditQuery, now: number): Promise<AuditEntry[]>;
}

export function toEntry(id: number, record: AuditRecord): AuditEntry {
  return { id, ...record, time: new Date(record.time).toISOString() };
}
