import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import MigrateScan, { EXIT_FINDINGS, EXIT_UNREADABLE } from './scan.js';

const FIXTURES = fileURLToPath(new URL('../../migrate/fixtures', import.meta.url));

let out: string;
let err: string;

beforeEach(() => {
  out = '';
  err = '';
  process.exitCode = undefined;
  // oclif's this.log and logToStderr write through console.log / console.error.
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void (out += `${String(line)}\n`));
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void (err += `${String(line)}\n`));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('caphone migrate scan', () => {
  it('--json prints one parseable report and exits non-zero when v1 call sites exist', async () => {
    await MigrateScan.run([FIXTURES, '--json'], import.meta.url);
    const exitCode = process.exitCode;
    const report = JSON.parse(out);
    expect(exitCode).toBe(EXIT_FINDINGS);
    expect(report.status).toBe('findings');
    expect(report.findings).toHaveLength(18);
    expect(report.findings[0]).toMatchObject({ file: 'Legacy.java', line: 7, kind: 'v1-endpoint', language: 'java' });
    expect(out).not.toContain('CANARY-KEY');
  });

  it('prints file:line:column lines for people, and exits 0 on a clean tree', async () => {
    await MigrateScan.run([FIXTURES], import.meta.url);
    expect(out).toContain('legacy.rb:4:45  v1-endpoint');
    expect(process.exitCode).toBe(EXIT_FINDINGS);

    out = '';
    process.exitCode = undefined;
    const clean = await mkdtemp(join(tmpdir(), 'caphone-scan-'));
    try {
      await writeFile(join(clean, 'ok.py'), 'requests.post(host + "/ca_apis/PhoneManageV2", json=body, headers={"apiKey": key})\n');
      await MigrateScan.run([clean, '--json'], import.meta.url);
      expect(process.exitCode ?? 0).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ status: 'clean', filesScanned: 1, findings: [] });
    } finally {
      await rm(clean, { recursive: true, force: true });
    }
  });

  it('says what to do when PATH does not exist, with its own exit code', async () => {
    await MigrateScan.run([join(tmpdir(), 'no-such-dir-caphone'), '--json'], import.meta.url);
    expect(process.exitCode).toBe(EXIT_UNREADABLE);
    expect(JSON.parse(out)).toMatchObject({ status: 'error', error: { code: 'ENOENT' } });
    expect(JSON.parse(out).error.message).toMatch(/pass an existing directory or file/);
  });
});
