import { Args } from '@oclif/core';
import { CaphoneCommand, type CommandResult } from '../../base-command.js';
import { usageError } from '../../cli-error.js';
import { EXIT, LOCAL_EXIT_CODES } from '../../exit-codes.js';
import { checkProfileName, readProfiles, writeProfiles } from '../../settings/profiles.js';

export interface ConfigRemoveResult {
  profile: string;
  path: string;
}

export default class ConfigRemove extends CaphoneCommand<typeof ConfigRemove, ConfigRemoveResult> {
  static summary = 'Delete a saved profile (and any key stored in it).';

  static description =
    'Removes the profile from the profiles file. If it was the default, no profile is default afterwards.';

  static exitCodes = LOCAL_EXIT_CODES;

  static examples = ['<%= config.bin %> <%= command.id %> prod'];

  static args = {
    name: Args.string({ description: 'Profile to delete.', required: true }),
  };

  protected async execute(): Promise<CommandResult<ConfigRemoveResult>> {
    const name = checkProfileName(this.args.name);
    const { file } = await readProfiles(this.config.configDir);
    if (!(name in file.profiles)) throw usageError(`no profile named "${name}"`, 'see caphone config list');
    delete file.profiles[name];
    if (file.default === name) delete file.default;
    const path = await writeProfiles(this.config.configDir, file);
    return { outcome: 'success', message: `removed profile "${name}" from ${path}`, result: { profile: name, path }, exitCode: EXIT.success };
  }
}
