import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileUsageStore } from '../../src/usage/file-usage-store.js';
import { HOUR_MS, hourOf, keepFrom } from '../../src/usage/usage-row.js';
import { MemoryUsageStore } from '../../src/usage/usage-store.js';
import { usageStoreContract } from '../usage-store-contract.js';

usageStoreContract('memory (one process)', () => {
  const store = new MemoryUsageStore();
  return { open: () => store };
});

usageStoreContract('file (one file per writer, merged on read)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shim-usage-'));
  return { open: () => new FileUsageStore({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('FileUsageStore on disk', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  const row = { hour: hourOf(now), account: 'acme', key: 'call|v2|edit|success', count: 1 };

  it('writes each writer its own file, atomically (no temporary file left), and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shim-usage-'));
    try {
      const a = new FileUsageStore({ dir, instanceId: 'a' });
      const b = new FileUsageStore({ dir, instanceId: 'b' });
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).add([row], keepFrom(now))));
      expect((await readdir(dir)).sort()).toEqual(['usage-a.json', 'usage-b.json']);
      expect(await new FileUsageStore({ dir, instanceId: 'reader' }).read(keepFrom(now))).toEqual([{ ...row, count: 20 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips (and reports) a file it cannot read instead of failing the read; removes a finished file that aged out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shim-usage-'));
    try {
      await writeFile(join(dir, 'usage-broken.json'), '{"format":1,"rows":[');
      const old = new FileUsageStore({ dir, instanceId: 'old' });
      await old.add([{ ...row, hour: hourOf(now) - 40 * 24 * HOUR_MS }, row], keepFrom(now) - 40 * 24 * HOUR_MS);
      const warnings: string[] = [];
      const reader = new FileUsageStore({ dir, instanceId: 'reader', onWarning: (w) => warnings.push(w) });
      expect(await reader.read(keepFrom(now))).toEqual([row]);
      expect(warnings).toEqual([expect.stringContaining('usage-broken.json')]);
      expect(await reader.read(keepFrom(now + 36 * 24 * HOUR_MS))).toEqual([]);
      expect((await readdir(dir)).sort()).toEqual(['usage-broken.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
