import { Flags, type Command, type Interfaces } from '@oclif/core';
import { REGIONS, isLoopbackHost, validateCredentials, type ApiKeyCredentials } from '@cloudagent-phone/core';
import { CaphoneCommand, GLOBAL } from './base-command.js';
import { usageError } from './cli-error.js';
import { nameIssue } from './flag-names.js';
import { readFirstLine } from './read-stdin.js';
import { profilesPath, readProfiles, selectProfile } from './settings/profiles.js';
import { ENV, resolveTarget, type Target, type TargetFlags } from './settings/resolve-target.js';
import { SHORT_FLAGS } from './short-flags.js';

export type ApiFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof ApiCommand)['baseFlags'] & T['flags']>;

/** A placeholder for --dry-run without a key: it is redacted like a real one and never sent. */
const DRY_RUN_KEY = 'caphone-dry-run-no-key';

/** Commands that talk to CloudAgent: the target, credential and request flags they all share. */
export abstract class ApiCommand<T extends typeof Command, R = unknown> extends CaphoneCommand<T, R> {
  static baseFlags = {
    ...CaphoneCommand.baseFlags,
    verbose: Flags.boolean({
      description: "Print each request and response on stderr (credentials redacted), with the client's retries and read-backs.",
      helpGroup: GLOBAL,
    }),
    profile: Flags.string({
      char: SHORT_FLAGS.profile,
      description: `Named profile from "caphone config" (default: ${ENV.profile}, then the profile marked default).`,
      helpGroup: GLOBAL,
    }),
    api: Flags.string({
      description: 'API version. v1 is the deprecated query-string endpoint. [default: v2, or CLOUDAGENT_API_VERSION, or the profile]',
      options: ['v1', 'v2'],
      helpGroup: GLOBAL,
    }),
    region: Flags.string({
      description: `CloudAgent host by region: domestic (${REGIONS.domestic}) or international (${REGIONS.international}).`,
      options: Object.keys(REGIONS),
      exclusive: ['base-url'],
      helpGroup: GLOBAL,
    }),
    'base-url': Flags.string({
      description: `CloudAgent base URL (partners' own host, or a sandbox). [default: ${ENV.baseUrl}, the profile, or ${REGIONS.domestic}]`,
      helpGroup: GLOBAL,
    }),
    user: Flags.string({
      char: SHORT_FLAGS.user,
      description: `CloudAgent user name. [default: ${ENV.userName}, or the profile]`,
      helpGroup: GLOBAL,
    }),
    auth: Flags.string({
      description: "The account's API Authentication setting: basic (apiKey header) or token (bearer token from CAToken). [default: basic]",
      options: ['basic', 'token'],
      helpGroup: GLOBAL,
    }),
    'api-key-stdin': Flags.boolean({
      description: `Read the API key from the first line of stdin. The key is never a flag; otherwise ${ENV.apiKey}, then the profile.`,
      helpGroup: GLOBAL,
    }),
    'edge-url': Flags.string({
      description: `Go through this cloudagent-phone edge instead of CloudAgent, with the team token from ${ENV.edgeToken} (or the profile); no API key needed. [default: ${ENV.edgeUrl}, or the profile]`,
      helpGroup: GLOBAL,
    }),
    'dry-run': Flags.boolean({
      description: 'Print the exact HTTP request that would be sent (key redacted) and send nothing.',
      helpGroup: GLOBAL,
    }),
    timeout: Flags.integer({
      description: 'Seconds to wait for each answer before giving up on it.',
      default: 30,
      min: 1,
      max: 600,
      helpGroup: GLOBAL,
    }),
  };

  declare protected flags: ApiFlags<T>;

  /** Profile, environment, flags and stdin, merged; warns about what deserves a warning. `overrides` stand in for flags (bulk-edit's --remote is its edge URL). */
  protected async loadTarget(overrides: TargetFlags = {}): Promise<Target> {
    const { file, looseMode } = await readProfiles(this.config.configDir);
    const { profileName, profile } = selectProfile(file, this.flags.profile ?? process.env[ENV.profile]);
    const stdinKey = this.flags['api-key-stdin'] ? await readFirstLine(process.stdin) : undefined;
    if (this.flags['api-key-stdin'] && !stdinKey) {
      throw usageError('--api-key-stdin was given but stdin had no key', 'pipe the key in, e.g. from a secret store: secret-tool lookup cloudagent key | caphone ...');
    }
    const target = resolveTarget({
      flags: { ...this.flags, ...overrides },
      env: process.env,
      ...(profile ? { profile } : {}),
      ...(profileName !== undefined ? { profileName } : {}),
      ...(stdinKey ? { stdinKey } : {}),
    });
    this.out.addSecret(target.apiKey);
    if (profile?.apiKey) this.out.addSecret(profile.apiKey);
    if (process.env[ENV.apiKey]) this.out.addSecret(process.env[ENV.apiKey]);
    this.out.addSecret(target.edge?.token);
    if (profile?.edgeToken) this.out.addSecret(profile.edgeToken);
    if (process.env[ENV.edgeToken]) this.out.addSecret(process.env[ENV.edgeToken]);

    if (target.edge) {
      // The edge holds the CloudAgent key and knows the account's settings; only the account's name travels.
      if (target.apiVersion === 'v1') throw usageError('--api v1 does not apply through an edge: the edge speaks v2 to CloudAgent', `drop --api v1, or unset ${ENV.edgeUrl} to call CloudAgent directly`);
      if (new URL(target.edge.url).protocol === 'http:' && !isLoopbackHost(new URL(target.edge.url).hostname)) {
        this.out.warn(`${target.edge.url} is plain http: the team token travels unencrypted. Use https.`);
      }
      return target;
    }

    if (target.apiVersion === 'v1') {
      this.out.warn('v1 (/CAServices/PhoneManageV2.php) is deprecated by CloudAgent (announced for 30 April 2025) and sends the key in the URL; use --api v2.');
    }
    if (target.apiVersion === 'v1' && target.auth === 'token') {
      throw usageError('--auth token needs v2: v1 has no token authentication', 'drop --api v1 (v2 is the default)');
    }
    if (looseMode !== undefined && target.sources.apiKey === 'profile') {
      this.out.warn(`${profilesPath(this.config.configDir)} is readable by others (mode ${looseMode.toString(8)}) and holds an API key: chmod 600 it.`);
    }
    return target;
  }

  /** Credentials checked with core; with --dry-run a missing key is allowed (it is redacted anyway). */
  protected credentials(target: Target): ApiKeyCredentials {
    const dryRun = Boolean(this.flags['dry-run']);
    if (target.userName === undefined) {
      throw usageError(
        `no CloudAgent user name: set ${ENV.userName}, pass --user, or save one in a profile`,
        'e.g. export CLOUDAGENT_USERNAME=your_user, or: caphone config set --user your_user',
      );
    }
    if (target.edge) return { userName: target.userName, apiKey: DRY_RUN_KEY };
    if (target.apiKey === undefined && !dryRun) {
      throw usageError(
        `no API key: set ${ENV.apiKey}, pipe it with --api-key-stdin, or save it in a profile`,
        'the key is in the CloudAgent admin login; it is never accepted as a plain flag (it would land in shell history)',
      );
    }
    const checked = validateCredentials({ userName: target.userName, apiKey: target.apiKey ?? DRY_RUN_KEY });
    if (!checked.ok) {
      const issues = checked.issues.map((issue) => nameIssue(issue));
      throw usageError(issues.map((i) => i.message).join('; '), 'fix the value and run the command again; nothing was sent', issues);
    }
    return checked.value as ApiKeyCredentials;
  }
}
