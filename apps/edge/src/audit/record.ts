import { checkConfig, textRule, wholeNumberRule, type PhoneOperation } from '@cloudagent-phone/core';
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

/**
 * The query's rules: core's, as for the edge's configuration (every bad parameter named with its
 * rule at once; an empty one is the default).
 */
const AUDIT_QUERY_RULES = {
  since: textRule('date-time', 'must be an RFC 3339 date-time such as 2026-12-01T00:00:00Z (entries are kept 30 days)', (v) => RFC3339.test(v.trim()) && Number.isFinite(Date.parse(v))),
  after: wholeNumberRule(0, Number.MAX_SAFE_INTEGER),
  limit: wholeNumberRule(1, AUDIT_PAGE_MAX),
};

/** `GET /audit`'s query: since (RFC 3339, default 30 days ago), after (an entry id), limit (1 to 500). */
export function auditQueryFrom(query: Record<string, string>, now: number): { ok: true; value: AuditQuery } | { ok: false; errors: FieldError[] } {
  const issues = checkConfig(query, AUDIT_QUERY_RULES);
  if (issues.length > 0) return { ok: false, errors: issues.map(({ variable, rule, message }) => ({ field: variable, rule, message })) };
  const given = (name: keyof typeof AUDIT_QUERY_RULES) => query[name]?.trim() || undefined;
  const since = given('since');
  const after = given('after');
  return { ok: true, value: { since: since ? Date.parse(since) : now - AUDIT_RETENTION_MS, limit: Number(given('limit') ?? AUDIT_PAGE_DEFAULT), ...(after ? { after: Number(after) } : {}) } };
}
