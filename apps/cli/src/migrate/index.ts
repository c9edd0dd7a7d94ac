export type { Finding } from './finding.js';
export { CONFIG_FORMATS, LANGUAGES, SOURCE_LANGUAGES, V2_CALL, languageOf, type ConfigFormat, type Language, type SourceLanguage } from './languages.js';
export { buildReport, formatReport, type ScanReport } from './report.js';
export { RULES, type FindingKind, type ScanRule } from './rules.js';
export { scanSource } from './scan-source.js';
export { MAX_FILE_BYTES, SKIPPED_DIRECTORIES, sourceFiles, type SourceFile } from './walk.js';
