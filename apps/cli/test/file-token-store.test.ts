import { createHash } from 'node:crypto';
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
// host and key, shared by every caphone process of the account (`reopen` opens the same file again).
const cache = mkdtempSync(join(tmpdir(), 'caphone-token-store-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

let accounts = 0;
let path = '';
describeTokenStoreContract({
  name: 'createFileTokenStore (apps/cli)',
  create: () => createFileTokenStore((path = tokenStorePath(cache, 'https://cloudagent.test', `acct${++accounts}`, 'key'))),
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
    const userName = `provider${++accounts}`;
    // The path the CLI's wiring computes (client-factory.ts): per host, account and key, so the
    // wrong key gets a file of its own, as in a real run, and is never handed the right key's token.
    const manager = (apiKey: string) =>
      createTokenManager({ userName: 'acme', apiKey, baseUrl, transport, store: createFileTokenStore(tokenStorePath(cache, baseUrl, userName, apiKey)) });
    return {
      provider: manager(KEY),
      providerWithWrongKey: manager('CANARY-WRONG-cli-provider-contract-1f4a'),
      generations: () => simulator.control.calls().filter((c) => c.action === 'token').length,
      currentToken: () => simulator.state.tokens.current?.token,
    };
  },
});

describe('the file token store', () => {
  it('keeps the token in a file only its owner can read, in a folder only its owner can enter', async () => {
    const file = tokenStorePath(cache, 'https://cloudagent.test', 'private', 'key');
    await createFileTokenStore(file).set({ token: 't', issuedAt: 1, expiresAt: 2, generations: [1] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('files a token per host, account and key, under a name that reveals none of them', () => {
    const key = 'CANARY-KEY-file-name-5e1d';
    const path = tokenStorePath(cache, 'https://cloudagent.test', 'acme', key);
    expect(path).toBe(tokenStorePath(cache, 'https://cloudagent.test', 'acme', key));
    for (const other of [
      tokenStorePath(cache, 'https://cloudagent.test', 'acme', `${key}x`),
      tokenStorePath(cache, 'https://cloudagent.test', 'acme2', key),
      tokenStorePath(cache, 'https://other.test', 'acme', key),
    ]) {
      expect(other).not.toBe(path);
    }
    expect(path).toMatch(/[/\\]tokens[/\\][0-9a-f]{16}\.json$/);
    expect(path).not.toContain(key);
    expect(path).not.toContain(createHash('sha256').update(key).digest('hex').slice(0, 16));
  });
});
