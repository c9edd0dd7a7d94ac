import { Flags } from '@oclif/core';
import type { PhoneOperation } from '@cloudagent-phone/core';
import type { CallResult } from '@cloudagent-phone/transport';
import { callExitCodes } from '../../exit-codes.js';
import { PhoneCommand } from '../../phone-command.js';
import { SHORT_FLAGS } from '../../short-flags.js';

export default class PhoneGet extends PhoneCommand<typeof PhoneGet> {
  static summary = 'Look up a phone number by its number or its name.';

  static description =
    "Uses v2's get action, a GET with a JSON body, sent as HTTP/1.1 over a plain socket (fetch cannot send one). Give --number to learn its name, or --name to learn its number. v2 only.";

  static exitCodes = callExitCodes(['get']);

  static examples = [
    '<%= config.bin %> <%= command.id %> --number +919876543210',
    '<%= config.bin %> <%= command.id %> --name Sales --json',
  ];

  static flags = {
    number: Flags.string({ char: SHORT_FLAGS.number, description: 'The phone number to look up.' }),
    name: Flags.string({ char: SHORT_FLAGS.name, description: 'The phone name to look up (not case-sensitive).' }),
  };

  protected operationInput(): Record<string, unknown> {
    return { action: 'get', phoneNumber: this.flags.number, phoneName: this.flags.name };
  }

  protected describeSuccess(_op: PhoneOperation, result: CallResult): string[] {
    const record = result.outcome.kind === 'success' ? result.outcome.data : undefined;
    return record ? [`phoneNumber  ${record.phoneNumber}`, `phoneName    ${record.phoneName}`] : [result.outcome.message];
  }
}
