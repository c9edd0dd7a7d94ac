import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import type { CommandResult } from '../../base-command.js';
import { usageError } from '../../cli-error.js';
import { EXIT } from '../../exit-codes.js';
import { JOB_EXIT_NOTE, JOB_ID_ARGS, JobCommand } from '../../jobs/job-command.js';

export default class JobsReport extends JobCommand<typeof JobsReport> {
  static summary = "Print a bulk job's report: one line per row, in input order.";

  static description = `Columns: row,userName,action,phoneNumber,outcome,verdict,message,requestId,attempts. Rows not finished yet are "pending". Under --json the lines are in result.lines as objects. With --output the CSV goes to that file instead of stdout. Exits 0 when the edge answered. ${JOB_EXIT_NOTE}`;

  static args = JOB_ID_ARGS;

  static examples = ['<%= config.bin %> <%= command.id %> 6f1c0a4e-... > report.csv', '<%= config.bin %> <%= command.id %> 6f1c0a4e-... --output report.csv', '<%= config.bin %> <%= command.id %> 6f1c0a4e-... --json'];

  static flags = {
    output: Flags.string({ char: 'o', description: 'Write the CSV report to this file instead of stdout.' }),
  };

  protected async execute(): Promise<CommandResult> {
    const { edge, client, jobs } = await this.edgeClient();
    const id = this.args.id;
    const context = { edgeUrl: edge.url, jobId: id };
    if (this.out.json) {
      const lines = await jobs.callEdge(context, () => client.getBulkJobReport(id, { format: 'ndjson' }));
      return { outcome: 'success', message: `job ${id}: ${lines.length} report line(s)`, result: { id, edge: edge.url, lines }, exitCode: EXIT.success };
    }
    const csv = await jobs.callEdge(context, () => client.getBulkJobReport(id));
    const rows = Math.max(0, csv.split('\n').filter(Boolean).length - 1);
    if (this.flags.output) {
      const path = resolve(this.flags.output);
      await writeFile(path, csv).catch((error: NodeJS.ErrnoException) => {
        throw usageError(`--output ${path} cannot be written (${error.code})`, 'pass --output with a path in a directory you can write to');
      });
      const message = `job ${id}: ${rows} row(s) written to ${path}`;
      return { outcome: 'success', message, result: { id, edge: edge.url, output: path, rows }, exitCode: EXIT.success };
    }
    // The report itself is the output: it goes to stdout as it came (the message is for --json).
    return { outcome: 'success', message: `job ${id}: ${rows} report line(s)`, result: { id, edge: edge.url, rows }, exitCode: EXIT.success, lines: [csv.replace(/\n$/, '')] };
  }
}
