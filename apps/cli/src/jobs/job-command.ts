import { isLoopbackHost } from '@cloudagent-phone/core';
import type { EdgeClient } from '@cloudagent-phone/edge-client';
import { Args, Flags, type Command, type Interfaces } from '@oclif/core';
import { CaphoneCommand, GLOBAL } from '../base-command.js';
import { EXIT, LOCAL_EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { usageError } from '../cli-error.js';
import { readProfiles, selectProfile } from '../settings/profiles.js';
import { ENV, resolveTarget, type EdgeTarget } from '../settings/resolve-target.js';
import { SHORT_FLAGS } from '../short-flags.js';

export type JobFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof JobCommand)['baseFlags'] & T['flags']>;

/** What a `caphone jobs` command can end in: refused (3), unreachable (7), no such job (10). */
export const JOB_EXIT_CODES: readonly ExitCode[] = [...LOCAL_EXIT_CODES, EXIT.authRejected, EXIT.transient, EXIT.notFound].sort((a, b) => a - b);

/** Said in each jobs command's help: the shared exit codes' meaning for a job. */
export const JOB_EXIT_NOTE = 'Exit 10: no job with this id for your team on this edge; 3: the edge refused the team token; 7: the edge could not be reached (safe to run again).';

/** Each jobs command's one argument (oclif reads `args` from the command class itself, not a parent). */
export const JOB_ID_ARGS = {
  id: Args.string({ description: 'The job id that phone bulk-edit --remote printed.', required: true }),
};

/**
 * `caphone jobs ...`: a bulk job on an edge, by its id. The edge and the team token come the way
 * every edge command finds them (flag, then CAPHONE_EDGE_URL / CAPHONE_EDGE_TOKEN, then the profile).
 */
export abstract class JobCommand<T extends typeof Command> extends CaphoneCommand<T> {
  static exitCodes = JOB_EXIT_CODES;

  static baseFlags = {
    ...CaphoneCommand.baseFlags,
    verbose: Flags.boolean({ description: 'Print each request to the edge and its status on stderr (the token never).', helpGroup: GLOBAL }),
    'edge-url': Flags.string({
      aliases: ['remote'],
      description: `The edge that runs the job (also --remote). [default: ${ENV.edgeUrl}, or the profile]`,
      helpGroup: GLOBAL,
    }),
    profile: Flags.string({ char: SHORT_FLAGS.profile, description: `Named profile from "caphone config" (default: ${ENV.profile}, then the profile marked default).`, helpGroup: GLOBAL }),
    timeout: Flags.integer({ description: 'Seconds to wait for each answer from the edge.', default: 30, min: 1, max: 600, helpGroup: GLOBAL }),
  };

  declare protected flags: JobFlags<T>;

  /**
   * The edge, a client for the team and the job calls (imported here, not at the top: the edge
   * client code is for these commands and bulk-edit --remote only, and every other command's start
   * would parse it). The token is redacted from everything from here on.
   */
  protected async edgeClient(): Promise<{ edge: EdgeTarget; client: EdgeClient; jobs: typeof import('./edge-jobs.js') }> {
    const { file } = await readProfiles(this.config.configDir);
    const { profileName, profile } = selectProfile(file, this.flags.profile ?? process.env[ENV.profile]);
    for (const token of [profile?.edgeToken, process.env[ENV.edgeToken]]) this.out.addSecret(token);
    const target = resolveTarget({
      flags: { 'edge-url': this.flags['edge-url'] },
      env: process.env,
      ...(profile ? { profile } : {}),
      ...(profileName !== undefined ? { profileName } : {}),
    });
    if (!target.edge) throw usageError(`no edge: pass --edge-url, set ${ENV.edgeUrl}, or save one in a profile (caphone config set --edge-url URL)`, 'use the edge the job was submitted to');
    const { hostname, protocol } = new URL(target.edge.url);
    if (protocol === 'http:' && !isLoopbackHost(hostname)) this.out.warn(`${target.edge.url} is plain http: the team token travels unencrypted. Use https.`);
    const jobs = await import('./edge-jobs.js');
    return { edge: target.edge, client: await jobs.edgeJobsClient(target.edge, this.out, this.flags.timeout * 1000), jobs };
  }
}
