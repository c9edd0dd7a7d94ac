import { JournalFormatError, type Journal, type RowStates } from '@cloudagent-phone/bulk';
import { openFileJournal, peekFileJournal } from '@cloudagent-phone/bulk/node';
import { usageError } from '../cli-error.js';

/** A file that is not a journal is input the person can fix: exit 2, with what to do. */
function asUsageError(error: unknown): never {
  if (error instanceof JournalFormatError) throw usageError(error.message, 'move it away, or pass --journal with another path');
  throw error;
}

/**
 * Opens (or resumes) the run's journal file. A new journal names `fingerprint` in its header (the
 * caller's ROW_FINGERPRINT; passed in, so this file does not load the CSV code).
 */
export function openJournal(path: string, fingerprint: string): Promise<Journal> {
  return openFileJournal(path, { fingerprint }).catch(asUsageError);
}

/** What the journal file records, for --dry-run (which writes no journal). */
export function peekJournal(path: string): Promise<RowStates> {
  return peekFileJournal(path).catch(asUsageError);
}
