import { Flags } from '@oclif/core';
import type { PhoneOperation } from '@cloudagent-phone/core';
import type { CallResult } from '@cloudagent-phone/transport';
import { callExitCodes } from '../../exit-codes.js';
import { PhoneCommand, skills } from '../../phone-command.js';
import { SHORT_FLAGS } from '../../short-flags.js';

export default class PhoneCreate extends PhoneCommand<typeof PhoneCreate> {
  static summary = 'Add a phone number to the account.';

  static description =
    "Creates a number with its name and, optionally, skills. CloudAgent refuses it when the number or the name exists (exit 4) or the account's phone-number limit is reached (exit 5).";

  static exitCodes = callExitCodes(['create']);

  static examples = [
    '<%= config.bin %> <%= command.id %> --number +919876543210 --name Sales',
    '<%= config.bin %> <%= command.id %> --number 9876543210 --name Support --skill General,QA_Skill --json',
  ];

  static flags = {
    number: Flags.string({ char: SHORT_FLAGS.number, description: 'The new phone number: 3 to 17 digits, optional leading +.', required: true }),
    name: Flags.string({ char: SHORT_FLAGS.name, description: 'Its name: 2 to 50 letters, digits and . , @ _ -', required: true }),
    skill: Flags.string({ description: 'Skill to assign; repeat the flag or separate with commas.', multiple: true, multipleNonGreedy: true, delimiter: ',' }),
  };

  protected operationInput(): Record<string, unknown> {
    return { action: 'create', phoneNumber: this.flags.number, phoneName: this.flags.name, skill: skills(this.flags.skill) };
  }

  protected describeSuccess(op: PhoneOperation, result: CallResult): string[] {
    // A partial success created the number without its skills: the first line must not claim them.
    if (result.outcome.kind === 'partial_success') return [`Created ${op.phoneNumber} (${op.phoneName})`, `Skills were NOT applied: ${result.outcome.message}`];
    return [`Created ${op.phoneNumber} (${op.phoneName})${op.skill?.length ? ` with skills ${op.skill.join(', ')}` : ''}`];
  }
}
