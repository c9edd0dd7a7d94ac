import { Flags } from '@oclif/core';
import { CaphoneCommand, GLOBAL, type CommandResult } from '../../base-command.js';
import { EXIT, LOCAL_EXIT_CODES } from '../../exit-codes.js';
import { profilesPath, readProfiles, selectProfile } from '../../settings/profiles.js';
import { ENV, resolveTarget } from '../../settings/resolve-target.js';
import { SHORT_FLAGS } from '../../short-flags.js';

/** The settings a command would use, and where each came from; the key and the token only as set or missing. */
export interface ConfigShowResult {
  profile: string | null;
  baseUrl: string;
  userName: string | null;
  key: 'set' | 'missing';
  apiVersion: string;
  auth: string;
  sources: { baseUrl: string; userName: string | null; key: string | null; apiVersion: string; auth: string };
  edge: { url: string; tokenStatus: 'set' | 'missing'; sources: { url: string; tokenFrom: string | null } } | null;
  path: string;
}

export default class ConfigShow extends CaphoneCommand<typeof ConfigShow, ConfigShowResult> {
  static summary = 'Show what a command would use: target, user, API version, auth mode, and where each came from.';

  static description =
    'Merges flags-free settings the way every command does: environment over profile over defaults. The API key is never shown, only whether one is set and where from.';

  static exitCodes = LOCAL_EXIT_CODES;

  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --profile prod --json'];

  static flags = {
    profile: Flags.string({ char: SHORT_FLAGS.profile, description: 'Profile to show (default: CAPHONE_PROFILE, then the default profile).', helpGroup: GLOBAL }),
  };

  protected async execute(): Promise<CommandResult<ConfigShowResult>> {
    const { file } = await readProfiles(this.config.configDir);
    const { profileName, profile } = selectProfile(file, this.flags.profile ?? process.env[ENV.profile]);
    const target = resolveTarget({
      flags: {},
      env: process.env,
      ...(profile ? { profile } : {}),
      ...(profileName !== undefined ? { profileName } : {}),
    });
    const effective: ConfigShowResult = {
      profile: profileName ?? null,
      baseUrl: target.baseUrl,
      userName: target.userName ?? null,
      key: target.apiKey ? 'set' : 'missing',
      apiVersion: target.apiVersion,
      auth: target.auth,
      // 'key', not 'apiKey': redaction blanks any field named apiKey, even one holding a source name.
      sources: { baseUrl: target.sources.baseUrl, userName: target.sources.userName ?? null, key: target.sources.apiKey ?? null, apiVersion: target.sources.apiVersion, auth: target.sources.auth },
      edge: target.edge ? { url: target.edge.url, tokenStatus: target.edge.token ? 'set' : 'missing', sources: { url: target.edge.sources.url, tokenFrom: target.edge.sources.token ?? null } } : null,
      path: profilesPath(this.config.configDir),
    };
    const src = target.sources;
    return {
      outcome: 'success',
      message: `profile ${profileName ?? '(none)'}`,
      result: effective,
      exitCode: EXIT.success,
      lines: [
        `profile     ${profileName ?? '(none)'}  (${effective.path})`,
        `baseUrl     ${target.baseUrl}  [${src.baseUrl}]`,
        `userName    ${target.userName ?? '(missing)'}${src.userName ? `  [${src.userName}]` : ''}`,
        `apiKey      ${target.apiKey ? 'set' : '(missing)'}${src.apiKey ? `  [${src.apiKey}]` : ''}`,
        `apiVersion  ${target.apiVersion}  [${src.apiVersion}]`,
        `auth        ${target.auth}  [${src.auth}]`,
        ...(target.edge
          ? [`edge        ${target.edge.url}  [${target.edge.sources.url}]`, `edgeToken   ${target.edge.token ? 'set' : '(missing)'}${target.edge.sources.token ? `  [${target.edge.sources.token}]` : ''}`]
          : []),
      ],
    };
  }
}
