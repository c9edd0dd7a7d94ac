// The Node side of @cloudagent-phone/bulk: journals in files.
export { FileJournalStore, openFileJournal, peekFileJournal } from './file-journal-store.js';
