import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@cloudagent-phone/simulator';
import { createFetchTransport, createTokenManager } from '@cloudagent-phone/transport';
import { describeTokenProviderContract, describeTokenStoreContract } from '@cloudagent-phone/transport/testing';
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

// And the TokenProvider a token account's caphone run uses (client-factory.ts): the transport's
// token manager over this file store, one file per case.
const KEY = 'CANARY-KEY-cli-provider-contract-8d2b';
describeTokenProviderContract({
  name: 'createTokenManager over the file store (apps/cli)',
  create: () => {
    const simulator = createSimulator({ userName: 'acme', apiKey: KEY, auth: 'token' });
    const transport = createFetchTransport({ fetch: (input, init) => simulator.fetch(new Request(input, init)) });
    const baseUrl = 'https://cloudagent.test';
    const file = tokenStorePath(cache, baseUrl, `provider${++accounts}`);
    const manager = (apiKey: string, path: string) => createTokenManager({ userName: 'acme', apiKey, baseUrl, transport, store: createFileTokenStore(path) });
    return {
      provider: manager(KEY, file),
      // Its own file: the CLI files a token per (host, account), not per key, so a wrong key on
      // the same file would be handed the cached token (one user's own 0700 cache; the server's
      // holder, shared by many callers, files tokens per key hash instead).
      providerWithWrongKey: manager('CANARY-WRONG-cli-provider-contract-1f4a', `${file}.wrong`),
      generations: () => simulator.control.calls().filter((c) => c.action === 'token').length,
      currentToken: () => simulator.state.tokens.current?.token,
    };
  },
});

describe('the file token store', () => {
  it('keeps the token in a file only its owner can read, in a folder only its owner can enter', async () => {
    const file = tokenStorePath(cache, 'https://cloudagent.test', 'private');
    await createFileTokenStore(file).set({ token: 't', issuedAt: 1, expiresAt: 2, generations: [1] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });
});
