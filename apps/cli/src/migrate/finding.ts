import type { Language } from './languages.js';
import type { FindingKind } from './rules.js';

/** One v1 call site (or part of one) found in a source file. */
export interface Finding {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, where the match starts. */
  column: number;
  language: Language;
  kind: FindingKind;
  /** The source line, trimmed, shortened and with any credential redacted. */
  excerpt: string;
  reason: string;
  /** The v2 form to use instead. */
  v2Form: string;
}
