import { RULES, userNameSchema, validateOperation } from '@cloudagent-phone/core';
import type { JobOperation, JobRow } from './job.js';

/** The most rows one job takes (issue 14): a bigger change is several jobs. */
export const MAX_JOB_ROWS = 100_000;

/** A field of a row that is wrong: the row number (1 = first row) and the field, as core names it. */
export interface JobInputIssue {
  row: number;
  field: string;
  rule: string;
  message: string;
}

export type JobInput =
  | { ok: true; rows: JobRow[]; userNames: string[] }
  /** `issues` lists at most `maxIssues`; `badRows` counts every row with at least one. */
  | { ok: false; issues: JobInputIssue[]; badRows: number };

export interface JobInputOptions {
  /** The account for rows that name none (a job-wide `userName`). */
  userName?: string;
  /** Default MAX_JOB_ROWS. */
  maxRows?: number;
  /** Issues listed in the answer; the rest are counted. Default 100. */
  maxIssues?: number;
}

const SKILL_FIELDS = ['skill', 'assignSkill', 'unAssignSkill'];

/**
 * A job's rows, each validated with core before anything is sent: from NDJSON objects or CSV
 * records (header → cell). `action` defaults to `edit`; `userName` comes from the row or the job.
 * Empty cells are absent fields (a CSV's way of leaving one out); skills in one cell are separated
 * by `;` (or commas). Every bad row and field is named, and no job exists until all rows are valid.
 */
export function validateJobRows(records: Iterable<Record<string, unknown>>, options: JobInputOptions = {}): JobInput {
  const maxRows = options.maxRows ?? MAX_JOB_ROWS;
  const maxIssues = options.maxIssues ?? 100;
  const rows: JobRow[] = [];
  const issues: JobInputIssue[] = [];
  const userNames = new Set<string>();
  let badRows = 0;
  let row = 0;
  const report = (found: JobInputIssue[]) => {
    badRows += 1;
    for (const issue of found) if (issues.length < maxIssues) issues.push(issue);
  };
  for (const record of records) {
    row += 1;
    if (row > maxRows) {
      return { ok: false, issues: [{ row, field: 'body', rule: 'max-rows', message: `a job takes at most ${maxRows} rows: split the file into several jobs` }], badRows: 1 };
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      report([{ row, field: 'row', rule: 'type-object', message: `row ${row} must be an object of phone-number fields` }]);
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (value === '' || value === undefined || value === null) continue;
      fields[key] = SKILL_FIELDS.includes(key) && typeof value === 'string' ? value.replace(/;/g, ',') : value;
    }
    const { userName = options.userName, ...operation } = fields;
    operation.action ??= 'edit';
    const found: JobInputIssue[] = [];
    const account = userNameSchema.safeParse(userName);
    if (!account.success) {
      found.push({ row, field: 'userName', rule: userName === undefined ? 'required' : RULES.userName.id, message: userName === undefined ? `row ${row}: userName is required (a userName column, or the job's userName parameter)` : `row ${row}: userName ${RULES.userName.message}` });
    }
    if (operation.action === 'get') {
      found.push({ row, field: 'action', rule: 'job-action', message: `row ${row}: action must be edit, create or delete (a job changes numbers; look them up one by one)` });
    } else {
      const checked = validateOperation(operation);
      if (!checked.ok) for (const issue of checked.issues) found.push({ row, field: issue.field, rule: issue.rule, message: `row ${row}: ${issue.message}` });
      else if (account.success) {
        rows.push({ row, userName: account.data, input: checked.value as JobOperation });
        userNames.add(account.data);
      }
    }
    if (found.length > 0) report(found);
  }
  if (row === 0) return { ok: false, issues: [{ row: 0, field: 'body', rule: 'required', message: 'the job has no rows' }], badRows: 0 };
  return badRows > 0 ? { ok: false, issues, badRows } : { ok: true, rows, userNames: [...userNames] };
}
