import { Args, Command, Flags } from '@oclif/core';
import { buildReport, formatReport } from '../../migrate/report.js';
import { scanSource } from '../../migrate/scan-source.js';
import { sourceFiles } from '../../migrate/walk.js';
import type { Finding } from '../../migrate/finding.js';
import { EXIT } from '../../exit-codes.js';

/**
 * Exit codes, so CI can tell "v1 code found" from "could not scan" and from a crash (1). 9 is next
 * free after the CLI's shared table (0-8); an unreadable PATH is that table's "invalid input".
 */
export const EXIT_FINDINGS = 9;
export const EXIT_UNREADABLE = EXIT.invalidInput;

export default class MigrateScan extends Command {
  static override summary = 'Find calls to the deprecated v1 PhoneManageV2 endpoint in source code.';

  static override description =
    'Scans PHP, JavaScript/TypeScript, Python, Ruby and Java files for the v1 endpoint path ' +
    '(CAServices/PhoneManageV2.php), the v1 spelling PhoneNameNew, and an apiKey sent in a query string, ' +
    'and prints file:line with the v2 form to use instead. node_modules, vendor, dist and similar directories are skipped.\n\n' +
    `Exit status: 0 when nothing is found, ${EXIT_FINDINGS} when findings exist (so CI fails until the code is migrated), ` +
    `${EXIT_UNREADABLE} when PATH cannot be read. Credentials found in the code are redacted from the output.`;

  static override examples = [
    '<%= config.bin %> migrate scan ./src',
    '<%= config.bin %> migrate scan . --json > v1-findings.json',
  ];

  static override args = {
    path: Args.string({ description: 'a directory (scanned recursively) or one file', required: true }),
  };

  static override flags = {
    json: Flags.boolean({ description: 'print one JSON document ({status, filesScanned, findings, byKind}) for CI' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MigrateScan);
    const findings: Finding[] = [];
    let filesScanned = 0;
    try {
      for await (const file of sourceFiles(args.path)) {
        filesScanned++;
        findings.push(...scanSource(file.path, file.text));
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      const message = `cannot read ${args.path} (${code}): pass an existing directory or file`;
      if (flags.json) this.log(JSON.stringify({ status: 'error', error: { message, code } }, null, 2));
      else this.logToStderr(message);
      process.exitCode = EXIT_UNREADABLE;
      return;
    }
    const report = buildReport(findings, filesScanned);
    this.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
    // exitCode rather than this.exit(): the report is fully written before the process ends.
    if (report.findings.length > 0) process.exitCode = EXIT_FINDINGS;
  }
}
