import { Args, Command, Flags } from '@oclif/core';

/**
 * `caphone autocomplete`, from @oclif/plugin-autocomplete. Declared here and delegated on run, so
 * the plugin's code (and the ejs templates it loads) is a chunk read only when completion is asked
 * for, not on every command. The declaration mirrors the plugin's command of the pinned version.
 */
export default class Autocomplete extends Command {
  static summary = 'Display autocomplete installation instructions.';

  static description = 'Prints how to enable shell completion for caphone in bash, zsh or PowerShell, after building the completion cache.';

  static args = {
    shell: Args.string({ description: 'Shell type', options: ['zsh', 'bash', 'powershell'], required: false }),
  };

  static flags = {
    'refresh-cache': Flags.boolean({ char: 'r', description: 'Refresh cache (ignores displaying instructions)' }),
  };

  static examples = [
    '<%= config.bin %> autocomplete',
    '<%= config.bin %> autocomplete bash',
    '<%= config.bin %> autocomplete zsh',
    '<%= config.bin %> autocomplete powershell',
    '<%= config.bin %> autocomplete --refresh-cache',
  ];

  async run(): Promise<void> {
    const { default: PluginAutocomplete } = await import('@oclif/plugin-autocomplete/lib/commands/autocomplete/index.js');
    await PluginAutocomplete.run(this.argv, this.config);
  }
}
