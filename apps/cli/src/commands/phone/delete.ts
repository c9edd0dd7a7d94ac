import { Flags } from '@oclif/core';
import type { PhoneOperation } from '@cloudagent-phone/core';
import { describe } from '../../base-command.js';
import { PhoneCommand } from '../../phone-command.js';

export default class PhoneDelete extends PhoneCommand<typeof PhoneDelete> {
  static summary = 'Remove a phone number from the account.';

  static description = describe(
    'Deletes the record identified by its number and its name (both are required, which guards against deleting the wrong one).',
  );

  static examples = ['<%= config.bin %> <%= command.id %> --number +919876543210 --name Sales'];

  static flags = {
    number: Flags.string({ description: 'The phone number to delete.', required: true }),
    name: Flags.string({ description: 'Its current name (not case-sensitive).', required: true }),
  };

  protected operationInput(): Record<string, unknown> {
    return { action: 'delete', phoneNumber: this.flags.number, phoneName: this.flags.name };
  }

  protected describeSuccess(op: PhoneOperation): string[] {
    return [`Deleted ${op.phoneNumber} (${op.phoneName})`];
  }
}
