import { hash } from 'node:crypto';
import { validateOperation, type PhoneOperation } from '@cloudagent-phone/core';
import { columnNamer, nameIssue, type NamedIssue } from '../flag-names.js';
import { COLUMNS, type CsvRow } from './csv-rows.js';

/** Skills in one cell: commas (quote the cell) or semicolons, which need no quoting. */
function skillCell(cell: string): string {
  return cell.replace(/;/g, ',');
}

export type RowCheck = { ok: true; op: PhoneOperation } | { ok: false; issues: NamedIssue[] };

/** One CSV row → one edit, validated by core; issues name the CSV column. */
export function rowOperation(row: CsvRow): RowCheck {
  if (row.shapeError) return { ok: false, issues: [{ field: 'row', flag: 'row', rule: 'csv-shape', message: row.shapeError }] };
  const { cells } = row;
  // Only the cells the row has: an absent field and an empty one are the same thing in a CSV.
  const input: Record<string, string> = { action: 'edit' };
  for (const column of COLUMNS) {
    const cell = cells[column];
    if (cell !== undefined) input[column] = column === 'assignSkill' || column === 'unAssignSkill' ? skillCell(cell) : cell;
  }
  const checked = validateOperation(input);
  if (!checked.ok) return { ok: false, issues: checked.issues.map((issue) => nameIssue(issue, columnNamer)) };
  return { ok: true, op: checked.value };
}

/**
 * A row's fingerprint in the journal (32 bits, as 8 hex digits): on resume, a row the journal knows
 * must still say the same thing, or the journal's record of it would be applied to other data.
 */
export function rowHash(row: CsvRow): number {
  const text = COLUMNS.map((c) => row.cells[c] ?? '').join('\u001f');
  // crypto.hash: the same SHA-256 as createHash, without a Hash object per row (about half the cost).
  return hash('sha256', text, 'buffer').readUInt32BE(0);
}
