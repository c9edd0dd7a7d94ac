import type { CommandResult } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { JOB_EXIT_NOTE, JOB_ID_ARGS, JobCommand } from '../../jobs/job-command.js';

export default class JobsStatus extends JobCommand<typeof JobsStatus> {
  static summary = "Show a bulk job's state on the edge: counts, pace and time left.";

  static description = `The job runs on the edge whether or not anything follows it. Exits 0 when the edge answered, whatever the job's state; the job's own outcome is in the counts (and in its report: caphone jobs report ID). ${JOB_EXIT_NOTE}`;

  static args = JOB_ID_ARGS;

  static examples = ['<%= config.bin %> <%= command.id %> 6f1c0a4e-...', '<%= config.bin %> <%= command.id %> 6f1c0a4e-... --edge-url https://phone-edge.example.workers.dev --json'];

  protected async execute(): Promise<CommandResult> {
    const { edge, client, jobs } = await this.edgeClient();
    const id = this.args.id;
    const job = await jobs.callEdge({ edgeUrl: edge.url, jobId: id }, () => client.getBulkJob(id));
    const lines = jobs.jobLines(job);
    return { outcome: 'success', message: lines.join('\n'), result: { job, edge: edge.url }, exitCode: EXIT.success, lines };
  }
}
