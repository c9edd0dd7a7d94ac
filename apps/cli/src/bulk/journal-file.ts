import { JournalFormatError, type Journal, type RowStates } from '@cloudagent-phone/bulk';
import { openFileJournal, peekFileJournal } from '@cloudagent-phone/bulk/node';
import { usageError } from '../cli-error.js';
import { ROW_FINGERPRINT, rowFingerprintFor, type RowFingerprint } from './row-operation.js';

/** A file that is not a journal is input the person can fix: exit 2, with what to do. */
function asUsageError(error: unknown): never {
  if (error instanceof JournalFormatError) throw usageError(error.message, 'move it away, or pass --journal with another path');
  throw error;
}

/**
 * Opens (or resumes) the run's journal file, and says how its rows are fingerprinted: a new
 * journal the current way, a resumed one the way its header names.
 */
export async function openJournal(path: string): Promise<{ journal: Journal; fingerprint: RowFingerprint }> {
  const journal = await openFileJournal(path, { fingerprint: ROW_FINGERPRINT }).catch(asUsageError);
  const fingerprint = rowFingerprintFor(journal.fingerprint);
  if (!fingerprint) {
    await journal.close();
    throw usageError(`${path} fingerprints rows as "${journal.fingerprint}", which this caphone does not know: a newer caphone wrote it`, 'resume it with the caphone that started it, or pass --journal with another path');
  }
  return { journal, fingerprint };
}

/** What the journal file records, for --dry-run (which writes no journal). */
export function peekJournal(path: string): Promise<RowStates> {
  return peekFileJournal(path).catch(asUsageError);
}
