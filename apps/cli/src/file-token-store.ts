import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredToken, TokenStore } from '@cloudagent-phone/transport';

/**
 * TOKEN_AUTH accounts: CloudAgent voids every earlier token when a new one is generated and allows
 * ten generations an hour. A CLI run is one short process, so without a shared store every
 * `caphone` invocation would generate a token, knocking out the previous one (and a parallel
 * script's) and using up the hourly budget in ten commands. The token is kept in oclif's cache
 * directory, one 0600 file per host, account and key, like gh and the cloud CLIs keep theirs.
 *
 * Filed per key, by its SHA-256, as the server's token holder files its tokens: a run with a wrong
 * key must ask CloudAgent (and be refused) rather than ride the token a right key earned. The
 * file's name is a hash of the three, so neither the key nor its hash is on disk; the file holds
 * the token and its times only. A rotated key starts a file of its own (one generation).
 */
export function tokenStorePath(cacheDir: string, baseUrl: string, userName: string, apiKey: string): string {
  const keyHash = createHash('sha256').update(apiKey).digest('hex');
  const id = createHash('sha256').update(`${baseUrl}\n${userName}\n${keyHash}`).digest('hex').slice(0, 16);
  return join(cacheDir, 'tokens', `${id}.json`);
}

export function createFileTokenStore(path: string): TokenStore {
  // Each write gets its own temporary file: two sets at once in one process (pid alone) would
  // share one, and the second rename would find it gone.
  let writes = 0;
  return {
    async get() {
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StoredToken>;
        if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number' || typeof parsed.issuedAt !== 'number') return undefined;
        return {
          token: parsed.token,
          issuedAt: parsed.issuedAt,
          expiresAt: parsed.expiresAt,
          generations: Array.isArray(parsed.generations) ? parsed.generations.filter((g): g is number => typeof g === 'number') : [],
        };
      } catch {
        return undefined;
      }
    },
    async set(token) {
      await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
      const temp = `${path}.${process.pid}.${++writes}.tmp`;
      await writeFile(temp, JSON.stringify(token), { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, path);
    },
  };
}
