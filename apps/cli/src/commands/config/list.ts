import { CaphoneCommand, type CommandResult } from '../../base-command.js';
import { EXIT, LOCAL_EXIT_CODES } from '../../exit-codes.js';
import { profilesPath, readProfiles } from '../../settings/profiles.js';

/** One saved profile as listed: secrets only as "stored". */
export interface ProfileSummary {
  name: string;
  default: boolean;
  baseUrl: string | null;
  region: string | null;
  userName: string | null;
  apiVersion: string | null;
  auth: string | null;
  key: 'stored' | null;
  edgeUrl: string | null;
  edgeTokenStatus: 'stored' | null;
}

export interface ConfigListResult {
  path: string;
  profiles: ProfileSummary[];
}

export default class ConfigList extends CaphoneCommand<typeof ConfigList, ConfigListResult> {
  static summary = 'List the saved profiles.';

  static description = 'One line per profile; the default one is marked with *. Keys are never shown.';

  static exitCodes = LOCAL_EXIT_CODES;

  static examples = ['<%= config.bin %> <%= command.id %>'];

  protected async execute(): Promise<CommandResult<ConfigListResult>> {
    const { file } = await readProfiles(this.config.configDir);
    const profiles = Object.entries(file.profiles).map(([name, p]): ProfileSummary => ({
      name,
      default: file.default === name,
      baseUrl: p.baseUrl ?? null,
      region: p.region ?? null,
      userName: p.userName ?? null,
      apiVersion: p.apiVersion ?? null,
      auth: p.auth ?? null,
      key: p.apiKey ? 'stored' : null,
      edgeUrl: p.edgeUrl ?? null,
      edgeTokenStatus: p.edgeToken ? 'stored' : null,
    }));
    const lines = profiles.length
      ? profiles.map(
          (p) =>
            `${p.default ? '*' : ' '} ${p.name}  ${p.baseUrl ?? p.region ?? '-'}  user=${p.userName ?? '-'}  api=${p.apiVersion ?? '-'}  auth=${p.auth ?? '-'}${p.key ? '  key=stored' : ''}${p.edgeUrl ? `  edge=${p.edgeUrl}` : ''}${p.edgeTokenStatus ? '  edge-token=stored' : ''}`,
        )
      : ['no profiles yet: caphone config set --profile NAME --user USER'];
    return {
      outcome: 'success',
      message: `${profiles.length} profile(s)`,
      result: { path: profilesPath(this.config.configDir), profiles },
      exitCode: EXIT.success,
      lines,
    };
  }
}
