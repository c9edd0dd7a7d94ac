import { Flags } from '@oclif/core';
import type { PhoneOperation } from '@cloudagent-phone/core';
import { callExitCodes } from '../../exit-codes.js';
import { PhoneCommand } from '../../phone-command.js';
import { SHORT_FLAGS } from '../../short-flags.js';

export default class PhoneDelete extends PhoneCommand<typeof PhoneDelete> {
  static summary = 'Remove a phone number from the account.';

  static description =
    'Deletes the record identified by its number and its name (both are required, which guards against deleting the wrong one).';

  static exitCodes = callExitCodes(['delete']);

  static examples = ['<%= config.bin %> <%= command.id %> --number +919876543210 --name Sales'];

  static flags = {
    number: Flags.string({ char: SHORT_FLAGS.number, description: 'The phone number to delete.', required: true }),
    name: Flags.string({ char: SHORT_FLAGS.name, description: 'Its current name (not case-sensitive).', required: true }),
  };

  protected operationInput(): Record<string, unknown> {
    return { action: 'delete', phoneNumber: this.flags.number, phoneName: this.flags.name };
  }

  protected describeSuccess(op: PhoneOperation): string[] {
    return [`Deleted ${op.phoneNumber} (${op.phoneName})`];
  }
}
