// The Node side of @cloudagent-phone/bulk: journals and jobs in files.
export { FileJournalStore, openFileJournal, peekFileJournal } from './file-journal-store.js';
export { FileJobStorage } from './file-job-storage.js';
