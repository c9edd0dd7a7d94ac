import { hash } from 'node:crypto';
import { validateOperation, type PhoneOperation } from '@cloudagent-phone/core';
import { columnNamer, nameIssue, type NamedIssue } from '../flag-names.js';
import { COLUMNS, type CsvRow } from './csv-rows.js';

/** Skills in one cell: commas (quote the cell) or semicolons, which need no quoting. */
function skillCell(cell: string): string {
  return cell.includes(';') ? cell.replaceAll(';', ',') : cell;
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
 * How new journals fingerprint rows (written in the journal's header). On resume, a row the journal
 * knows must still say the same thing, or the journal's record of it would be applied to other data.
 */
export const ROW_FINGERPRINT = 'fnv1a-32';

/** A row's fingerprint in the journal: 32 bits of its cells (not its position in the file). */
export type RowFingerprint = (row: CsvRow) => number;

/**
 * The fingerprint a journal's header names: `fnv1a-32`, or SHA-256 for a journal written before
 * headers named one. Undefined for a scheme this caphone does not know (a newer one wrote it).
 */
export function rowFingerprintFor(scheme: string | undefined): RowFingerprint | undefined {
  if (scheme === ROW_FINGERPRINT) return rowFnv1a;
  return scheme === undefined ? rowSha256 : undefined;
}

/**
 * FNV-1a over the cells' UTF-16 code units, a unit separator between cells. Not a cryptographic
 * hash, and it need not be: it catches edits, not an adversary (who could edit the journal itself).
 * Each step is a bijection of the 32-bit state, so two rows whose texts differ in a single
 * position (one character edited) always fingerprint differently; other edits collide with odds of
 * about 2^-32, as 32 bits of SHA-256 did. About 40x cheaper a row than SHA-256 (no buffers, no
 * call into C++): a bulk run fingerprints every row it reads.
 */
export function rowFnv1a(row: CsvRow): number {
  let h = 0x811c9dc5;
  for (let c = 0; c < COLUMNS.length; c++) {
    if (c > 0) h = Math.imul(h ^ 0x1f, 0x01000193);
    const cell = row.cells[COLUMNS[c] as (typeof COLUMNS)[number]];
    if (cell === undefined) continue;
    for (let i = 0; i < cell.length; i++) h = Math.imul(h ^ cell.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** The first 32 bits of the SHA-256 of the cells joined by unit separators: journals without a scheme. */
export function rowSha256(row: CsvRow): number {
  const text = COLUMNS.map((c) => row.cells[c] ?? '').join('\u001f');
  return hash('sha256', text, 'buffer').readUInt32BE(0);
}
