/**
 * The one-letter flags, the same letter for the same flag in every command that has it (a test
 * holds every command to this table). Only the options typed most: the record a phone command
 * works on, and where it goes. `-h` is help everywhere; `-v` stays `--version`'s.
 */
export const SHORT_FLAGS = {
  number: 'n',
  name: 'N',
  profile: 'p',
  user: 'u',
} as const;
