import type { PhoneOperation } from '@cloudagent-phone/core';
import type { FieldError } from '../problem.js';
import { AUDIT_RETENTION_MS, type AuditQuery, type AuditRecord, type NumberState } from './store.js';

type Meta = Omit<AuditRecord, 'action' | 'before' | 'after'>;

/** A mutation as the audit trail keeps it: the number and name before and after, nothing else of the body. */
export function auditRecordFor(op: PhoneOperation, meta: Meta): AuditRecord {
  const current: NumberState = { phoneNumber: op.phoneNumber ?? '', phoneName: op.phoneName ?? '' };
  switch (op.action) {
    case 'create':
      return { ...meta, action: 'create', before: null, after: current };
    case 'delete':
      return { ...meta, action: 'delete', before: current, after: null };
    default:
      return {
        ...meta,
        action: 'edit',
        before: current,
        after: { phoneNumber: op.phoneNumberNew ?? current.phoneNumber, phoneName: op.phoneNameNew ?? current.phoneName },
      };
  }
}

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** `GET /audit`'s query: since (RFC 3339, default 30 days ago), after (an entry id), limit (1 to 500). */
export function auditQueryFrom(query: Record<string, string>, now: number): { ok: true; value: AuditQuery } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let since = now - AUDIT_RETENTION_MS;
  if (query.since !== undefined) {
    const time = RFC3339.test(query.since) ? Date.parse(query.since) : NaN;
    if (Number.isFinite(time)) since = time;
    else errors.push({ field: 'since', rule: 'date-time', message: 'since must be an RFC 3339 date-time such as 2026-12-01T00:00:00Z (entries are kept 30 days)' });
  }
  const whole = (field: 'after' | 'limit', min: number, max: number, fallback: number | undefined) => {
    const raw = query[field];
    if (raw === undefined) return fallback;
    const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (n >= min && n <= max) return n;
    errors.push({ field, rule: 'integer-range', message: `${field} must be a whole number from ${min} to ${max}` });
    return fallback;
  };
  const after = whole('after', 0, Number.MAX_SAFE_INTEGER, undefined);
  const limit = whole('limit', 1, AUDIT_PAGE_MAX, AUDIT_PAGE_DEFAULT)!;
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { since, limit, ...(after !== undefined ? { after } : {}) } };
}
