import { Flags } from '@oclif/core';
import type { PhoneOperation } from '@cloudagent-phone/core';
import type { CallResult } from '@cloudagent-phone/transport';
import { describe } from '../../base-command.js';
import { PhoneCommand } from '../../phone-command.js';

export default class PhoneGet extends PhoneCommand<typeof PhoneGet> {
  static summary = 'Look up a phone number by its number or its name.';

  static description = describe(
    "Uses v2's get action, a GET with a JSON body, sent over node:http (fetch cannot send one). Give --number to learn its name, or --name to learn its number. v2 only.",
  );

  static examples = [
    '<%= config.bin %> <%= command.id %> --number +919876543210',
    '<%= config.bin %> <%= command.id %> --name Sales --json',
  ];

  static flags = {
    number: Flags.string({ description: 'The phone number to look up.' }),
    name: Flags.string({ description: 'The phone name to look up (not case-sensitive).' }),
  };

  protected operationInput(): Record<string, unknown> {
    return { action: 'get', phoneNumber: this.flags.number, phoneName: this.flags.name };
  }

  protected describeSuccess(_op: PhoneOperation, result: CallResult): string[] {
    const record = result.outcome.kind === 'success' ? result.outcome.data : undefined;
    return record ? [`phoneNumber  ${record.phoneNumber}`, `phoneName    ${record.phoneName}`] : [result.outcome.message];
  }
}
