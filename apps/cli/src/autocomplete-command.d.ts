// @oclif/plugin-autocomplete exports only an empty index; src/commands/autocomplete.ts loads its command
// class from the file itself (scripts/build.mjs resolves this path past the exports map), so that shell completion
// ships inside the bundle instead of as a separately installed and loaded oclif plugin.
declare module '@oclif/plugin-autocomplete/lib/commands/autocomplete/index.js' {
  import type { Config } from '@oclif/core';
  const Autocomplete: { run(argv?: string[], config?: Config): Promise<unknown> };
  export default Autocomplete;
}
