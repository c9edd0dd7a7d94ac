import { createHash } from 'node:crypto';
import { validateOperation, type PhoneOperation } from '@cloudagent-phone/core';
import { columnNamer, nameIssue, type NamedIssue } from '../flag-names.js';
import { COLUMNS, type CsvRow } from './csv-rows.js';

/** Skills in one cell: commas (quote the cell) or semicolons, which need no quoting. */
function skillCell(cell: string | undefined): string | undefined {
  return cell === undefined ? undefined : cell.replace(/;/g, ',');
}

export type RowCheck = { ok: true; op: PhoneOperation } | { ok: false; issues: NamedIssue[] };

/** One CSV row → one edit, validated by core; issues name the CSV column. */
export function rowOperation(row: CsvRow): RowCheck {
  if (row.shapeError) return { ok: false, issues: [{ field: 'row', flag: 'row', rule: 'csv-shape', message: row.shapeError }] };
  const { cells } = row;
  const checked = validateOperation(
    Object.fromEntries(
      Object.entries({
        action: 'edit',
        phoneNumber: cells.phoneNumber,
        phoneName: cells.phoneName,
        phoneNumberNew: cells.phoneNumberNew,
        phoneNameNew: cells.phoneNameNew,
        assignSkill: skillCell(cells.assignSkill),
        unAssignSkill: skillCell(cells.unAssignSkill),
      }).filter(([, v]) => v !== undefined),
    ),
  );
  if (!checked.ok) return { ok: false, issues: checked.issues.map((issue) => nameIssue(issue, columnNamer)) };
  return { ok: true, op: checked.value };
}

/**
 * A row's fingerprint in the journal (32 bits, as 8 hex digits): on resume, a row the journal knows
 * must still say the same thing, or the journal's record of it would be applied to other data.
 */
export function rowHash(row: CsvRow): number {
  const text = COLUMNS.map((c) => row.cells[c] ?? '').join('\u001f');
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
