import type { CommandResult } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { JOB_EXIT_NOTE, JOB_ID_ARGS, JobCommand } from '../../jobs/job-command.js';

export default class JobsCancel extends JobCommand<typeof JobsCancel> {
  static summary = 'Cancel a bulk job on the edge: no new row is sent.';

  static description = `Rows already in flight settle and are reported with their outcome; every row not sent is reported "not_sent". Cancelling a job that has ended changes nothing. Exits 0 when the edge took the cancel. ${JOB_EXIT_NOTE}`;

  static args = JOB_ID_ARGS;

  static examples = ['<%= config.bin %> <%= command.id %> 6f1c0a4e-...'];

  protected async execute(): Promise<CommandResult> {
    const { edge, client, jobs } = await this.edgeClient();
    const id = this.args.id;
    const job = await jobs.callEdge({ edgeUrl: edge.url, jobId: id }, () => client.cancelBulkJob(id));
    const ended = job.state === 'done' || job.state === 'failed';
    const message = ended ? `job ${id} had already ended (${job.state}): nothing to cancel` : `cancelling job ${id}: no new row is sent; rows in flight settle`;
    return { outcome: 'success', message, result: { job, edge: edge.url }, exitCode: EXIT.success, lines: [message, ...jobs.jobLines(job)] };
  }
}
