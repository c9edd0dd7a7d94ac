import { Args } from '@oclif/core';
import { CaphoneCommand, type CommandResult } from '../../base-command.js';
import { usageError } from '../../cli-error.js';
import { EXIT, type ExitCode, SCAN_EXIT_CODES } from '../../exit-codes.js';
import type { Finding } from '../../migrate/finding.js';
import { buildReport, formatReport, type ScanReport } from '../../migrate/report.js';
import { scanSource } from '../../migrate/scan-source.js';
import { sourceFiles } from '../../migrate/walk.js';

/**
 * "v1 call sites found": its own code so CI can tell it from a crash (1) or a bad PATH (2). 9 is the
 * next free one after the shared table.
 */
export const EXIT_FINDINGS: ExitCode = EXIT.v1Findings;

export default class MigrateScan extends CaphoneCommand<typeof MigrateScan, ScanReport> {
  static summary = 'Find calls to the deprecated v1 PhoneManageV2 endpoint in source code.';

  static description =
    'Scans PHP, JavaScript/TypeScript, Python, Ruby and Java files, and configuration files and scripts ' +
      '(.yaml .yml .json .xml .properties .ini .env .conf .sh), for the v1 endpoint path ' +
      '(CAServices/PhoneManageV2.php), the v1 spelling PhoneNameNew, and an apiKey sent in a query string, ' +
      'and prints file:line:column with the v2 form to use instead. node_modules, vendor, .git, dist and similar ' +
      'directories are skipped. Each finding shows its source line with any key written in it replaced by ' +
      '[REDACTED], plain and --json; the rest of the line is shown as written.\n\n' +
      `This command exits ${EXIT_FINDINGS} when v1 call sites are found (so a CI step fails until the code is migrated), ` +
      `0 when none are, ${EXIT.invalidInput} when PATH cannot be read. Under --json the findings are in "result".`;

  static exitCodes = SCAN_EXIT_CODES;

  static examples = ['<%= config.bin %> migrate scan ./src', '<%= config.bin %> migrate scan . --json > v1-findings.json'];

  static args = {
    path: Args.string({ description: 'a directory (scanned recursively) or one file', required: true }),
  };

  protected async execute(): Promise<CommandResult<ScanReport>> {
    const path = this.args.path as string;
    const findings: Finding[] = [];
    let filesScanned = 0;
    try {
      for await (const file of sourceFiles(path)) {
        filesScanned++;
        findings.push(...scanSource(file.path, file.text));
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw usageError(`cannot read ${path} (${code})`, 'pass an existing directory or file');
    }
    const report = buildReport(findings, filesScanned);
    const files = new Set(report.findings.map((f) => f.file)).size;
    if (report.findings.length === 0) {
      return { outcome: 'success', message: `no v1 call sites found (${filesScanned} files scanned)`, result: report, exitCode: EXIT.success, lines: [formatReport(report)] };
    }
    return {
      outcome: 'validation_error',
      message: `${report.findings.length} v1 call site(s) found in ${files} file(s)`,
      result: report,
      exitCode: EXIT_FINDINGS,
      lines: [formatReport(report)],
      hint: 'change each finding to the v2 form shown; until then, pointing the host at the v1 shim (apps/shim) keeps it working',
    };
  }
}
