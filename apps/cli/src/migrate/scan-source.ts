import { redact } from '@cloudagent-phone/core';
import type { Finding } from './finding.js';
import { languageOf, type Language } from './languages.js';
import { RULES } from './rules.js';

const ENDPOINT = /CAServices\/PhoneManageV2\.php/i;
const MAX_EXCERPT = 160;

function excerptOf(line: string): string {
  // Legacy code often has the key pasted in: the excerpt is output, so it goes through redact.
  const text = redact(line.trim());
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text;
}

/**
 * Finds v1 call sites in one source file's text. Pure: the caller reads the file. `language`
 * defaults to the one the file's extension names; a file in no known language gives no findings.
 * One finding per rule kind per line, at the first match.
 */
export function scanSource(file: string, text: string, language: Language | undefined = languageOf(file)): Finding[] {
  if (!language) return [];
  const mentionsEndpoint = ENDPOINT.test(text);
  const findings: Finding[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const seen = new Set<string>();
    for (const rule of RULES) {
      if (seen.has(rule.kind)) continue;
      if (rule.needsEndpointInFile && !mentionsEndpoint) continue;
      if (rule.unless?.test(line)) continue;
      const match = rule.pattern.exec(line);
      if (!match) continue;
      seen.add(rule.kind);
      findings.push({
        file,
        line: i + 1,
        column: match.index + 1,
        language,
        kind: rule.kind,
        excerpt: excerptOf(line),
        reason: rule.reason,
        v2Form: rule.v2Form(language),
      });
    }
  }
  return findings;
}
