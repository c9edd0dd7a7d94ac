import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { MemoryJournalStore } from '../src/index.js';
import { FileJournalStore } from '../src/node.js';
import { defineJournalStoreContract } from './journal-store-contract.js';

defineJournalStoreContract('MemoryJournalStore', { create: () => new MemoryJournalStore() });

const dir = mkdtempSync(join(tmpdir(), 'caphone-journal-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
let path = '';
defineJournalStoreContract('FileJournalStore (@cloudagent-phone/bulk/node)', {
  create: () => new FileJournalStore((path = join(dir, `journal-${++files}.jsonl`))),
  reopen: () => new FileJournalStore(path),
});
