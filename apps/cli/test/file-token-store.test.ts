import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTokenStoreContract } from '@cloudagent-phone/transport/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileTokenStore, tokenStorePath } from '../src/file-token-store.js';

// The TokenStore contract every store passes (the transport's memory store, the server's holder
// over memory and a Durable Object), against the CLI's file store: one 0600 file per account and
// host, shared by every caphone process of the account (`reopen` opens the same file again).
const cache = mkdtempSync(join(tmpdir(), 'caphone-token-store-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

let accounts = 0;
let path = '';
describeTokenStoreContract({
  name: 'createFileTokenStore (apps/cli)',
  create: () => createFileTokenStore((path = tokenStorePath(cache, 'https://cloudagent.test', `acct${++accounts}`))),
  reopen: () => createFileTokenStore(path),
});

describe('the file token store', () => {
  it('keeps the token in a file only its owner can read, in a folder only its owner can enter', async () => {
    const file = tokenStorePath(cache, 'https://cloudagent.test', 'private');
    await createFileTokenStore(file).set({ token: 't', issuedAt: 1, expiresAt: 2, generations: [1] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });
});
