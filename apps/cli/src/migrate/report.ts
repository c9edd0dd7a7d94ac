import type { Finding } from './finding.js';
import type { FindingKind } from './rules.js';

export interface ScanReport {
  /** `findings` when there is at least one: CI fails on it. */
  status: 'clean' | 'findings';
  filesScanned: number;
  findings: Finding[];
  byKind: Record<FindingKind, number>;
}

export function buildReport(findings: readonly Finding[], filesScanned: number): ScanReport {
  const byKind: Record<FindingKind, number> = { 'v1-endpoint': 0, 'v1-new-name-key': 0, 'api-key-in-query': 0 };
  for (const f of findings) byKind[f.kind]++;
  const sorted = [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return { status: sorted.length > 0 ? 'findings' : 'clean', filesScanned, findings: sorted, byKind };
}

/** Human-readable lines: `file:line:column  kind` then the excerpt and the v2 form, indented. */
export function formatReport(report: ScanReport): string {
  if (report.findings.length === 0) {
    return `No v1 call sites found (${report.filesScanned} files scanned).`;
  }
  const out: string[] = [];
  for (const f of report.findings) {
    out.push(`${f.file}:${f.line}:${f.column}  ${f.kind}`);
    out.push(`    ${f.excerpt}`);
    out.push(`    why: ${f.reason}`);
    out.push(`    v2:  ${f.v2Form}`);
  }
  const files = new Set(report.findings.map((f) => f.file)).size;
  out.push('');
  out.push(
    `${report.findings.length} finding(s) in ${files} file(s) of ${report.filesScanned} scanned ` +
      `(v1-endpoint ${report.byKind['v1-endpoint']}, v1-new-name-key ${report.byKind['v1-new-name-key']}, api-key-in-query ${report.byKind['api-key-in-query']}).`,
  );
  out.push('Until the code is changed, pointing its host at the v1 shim keeps it working; see the shim README.');
  return out.join('\n');
}
