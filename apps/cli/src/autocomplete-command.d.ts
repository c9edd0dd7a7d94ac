// @oclif/plugin-autocomplete exports only an empty index; the bundle takes its command class from the
// file itself (scripts/build.mjs resolves this path past the exports map), so that shell completion
// ships inside the bundle instead of as a separately installed and loaded oclif plugin.
declare module '@oclif/plugin-autocomplete/lib/commands/autocomplete/index.js' {
  import type { Command } from '@oclif/core';
  const Autocomplete: typeof Command;
  export default Autocomplete;
}
