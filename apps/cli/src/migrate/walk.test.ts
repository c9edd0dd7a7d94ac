import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport, formatReport } from './report.js';
import { scanSource } from './scan-source.js';
import { sourceFiles } from './walk.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

async function scanFixtures() {
  const findings = [];
  let files = 0;
  for await (const file of sourceFiles(FIXTURES)) {
    files++;
    findings.push(...scanSource(file.path, file.text));
  }
  return buildReport(findings, files);
}

describe('scanning the fixture tree (one legacy file per language)', () => {
  it('finds every v1 call site, file:line, in PHP, JS, TS, Python, Ruby and Java', async () => {
    const report = await scanFixtures();
    const sites = report.findings.map((f) => `${f.file}:${f.line} ${f.kind}`);
    expect(sites).toEqual([
      'Legacy.java:7 v1-endpoint',
      'Legacy.java:7 api-key-in-query',
      'Legacy.java:8 v1-new-name-key',
      'legacy-client.ts:5 api-key-in-query',
      'legacy-client.ts:11 v1-endpoint',
      'legacy-client.ts:14 api-key-in-query',
      'legacy.js:3 v1-endpoint',
      'legacy.js:3 api-key-in-query',
      'legacy.js:4 v1-new-name-key',
      'legacy.php:3 v1-endpoint',
      'legacy.php:6 api-key-in-query',
      'legacy.php:9 v1-new-name-key',
      'legacy.php:12 v1-endpoint',
      'legacy.php:12 api-key-in-query',
      'legacy.py:3 v1-endpoint',
      'legacy.py:7 api-key-in-query',
      'legacy.rb:4 v1-endpoint',
      'legacy.rb:7 api-key-in-query',
    ]);
    expect(new Set(report.findings.map((f) => f.language))).toEqual(new Set(['php', 'javascript', 'typescript', 'python', 'ruby', 'java']));
    expect(report.filesScanned).toBe(7); // notes.txt is not source code
    expect(report.status).toBe('findings');
    expect(report.byKind).toEqual({ 'v1-endpoint': 7, 'v1-new-name-key': 3, 'api-key-in-query': 8 });
  });

  it('reports nothing for code already on v2', async () => {
    for await (const file of sourceFiles(`${FIXTURES}/modern.ts`)) {
      expect(scanSource(file.path, file.text)).toEqual([]);
    }
  });

  it('never prints a key found in the code', async () => {
    const report = await scanFixtures();
    expect(JSON.stringify(report)).not.toContain('CANARY-KEY');
    expect(formatReport(report)).not.toContain('CANARY-KEY');
  });

  it('prints file:line:column with the v2 form under each finding', async () => {
    const text = formatReport(await scanFixtures());
    expect(text).toContain('legacy.py:3:42  v1-endpoint');
    expect(text).toContain('requests.post(f"{host}/ca_apis/PhoneManageV2"');
    expect(text).toMatch(/18 finding\(s\) in 6 file\(s\) of 7 scanned/);
    expect(formatReport(buildReport([], 3))).toBe('No v1 call sites found (3 files scanned).');
  });
});
