import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../exit-codes.js';
import MigrateScan, { EXIT_FINDINGS } from './scan.js';

const FIXTURES = fileURLToPath(new URL('../../migrate/fixtures', import.meta.url));

let out: string;
let err: string;

beforeEach(() => {
  out = '';
  err = '';
  process.exitCode = undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('caphone migrate scan', () => {
  it('--json prints the CLI envelope with the report as result, and exits 9 when v1 call sites exist', async () => {
    await MigrateScan.run([FIXTURES, '--json'], import.meta.url);
    const exitCode = process.exitCode;
    const envelope = JSON.parse(out);
    expect(exitCode).toBe(EXIT_FINDINGS);
    expect(envelope).toMatchObject({ outcome: 'validation_error', message: '18 v1 call site(s) found in 6 file(s)' });
    expect(envelope.result.status).toBe('findings');
    expect(envelope.result.findings).toHaveLength(18);
    expect(envelope.result.findings[0]).toMatchObject({ file: 'Legacy.java', line: 7, kind: 'v1-endpoint', language: 'java' });
    expect(out + err).not.toContain('CANARY-KEY');
  });

  it('prints file:line:column lines for people, and exits 0 on a clean tree', async () => {
    await MigrateScan.run([FIXTURES], import.meta.url);
    expect(out).toContain('legacy.rb:4:45  v1-endpoint');
    expect(err).toContain('exit 9');
    expect(process.exitCode).toBe(EXIT_FINDINGS);

    out = '';
    process.exitCode = undefined;
    const clean = await mkdtemp(join(tmpdir(), 'caphone-scan-'));
    try {
      await writeFile(join(clean, 'ok.py'), 'requests.post(host + "/ca_apis/PhoneManageV2", json=body, headers={"apiKey": key})\n');
      await MigrateScan.run([clean, '--json'], import.meta.url);
      expect(process.exitCode ?? 0).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ outcome: 'success', result: { status: 'clean', filesScanned: 1, findings: [] } });
    } finally {
      await rm(clean, { recursive: true, force: true });
    }
  });

  it('says what to do when PATH does not exist, exit 2', async () => {
    await MigrateScan.run([join(tmpdir(), 'no-such-dir-caphone'), '--json'], import.meta.url);
    expect(process.exitCode).toBe(EXIT.invalidInput);
    expect(JSON.parse(out)).toMatchObject({ outcome: 'validation_error' });
    expect(JSON.parse(out).message).toMatch(/cannot read .*no-such-dir-caphone \(ENOENT\)/);
  });
});
