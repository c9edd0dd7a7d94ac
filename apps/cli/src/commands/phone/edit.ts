import { Flags } from '@oclif/core';
import type { PhoneOperation } from '@cloudagent-phone/core';
import type { CallResult } from '@cloudagent-phone/transport';
import { callExitCodes } from '../../exit-codes.js';
import { PhoneCommand, skills } from '../../phone-command.js';
import { SHORT_FLAGS } from '../../short-flags.js';

export default class PhoneEdit extends PhoneCommand<typeof PhoneEdit> {
  static summary = 'Change a phone number, its name, or its skills.';

  static description =
    'Identifies the record by its existing number and name (both, as CloudAgent requires), then changes ' +
      'the number, the name and the skills in one call. Leaving out --new-number keeps the number. ' +
      'Skills are repeatable flags or comma-separated lists. Input is checked before anything is sent.';

  static exitCodes = callExitCodes(['edit']);

  static examples = [
    {
      description: 'Rename a number and give it a skill',
      command: '<%= config.bin %> <%= command.id %> --number +919876543210 --name Sales --new-name Sales_North --assign-skill General',
    },
    {
      description: 'Move a name to a new number, as JSON for a script',
      command: '<%= config.bin %> <%= command.id %> --number +919876543210 --name Sales --new-number +919812345678 --json',
    },
    {
      description: 'See the exact request first (key redacted), sending nothing',
      command: '<%= config.bin %> <%= command.id %> --number 9876543210 --name Sales --unassign-skill QA_Skill,Support --dry-run',
    },
  ];

  static flags = {
    number: Flags.string({ char: SHORT_FLAGS.number, description: 'The existing phone number (digits, optional leading +).', required: true }),
    name: Flags.string({ char: SHORT_FLAGS.name, description: 'The existing phone name (not case-sensitive).', required: true }),
    'new-number': Flags.string({ description: 'The number after the edit. [default: keep --number]' }),
    'new-name': Flags.string({ description: 'The name after the edit: 2 to 50 letters, digits and . , @ _ -' }),
    'assign-skill': Flags.string({
      description: 'Skill to assign; repeat the flag or separate with commas.',
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
    }),
    'unassign-skill': Flags.string({
      description: 'Skill to unassign; repeat the flag or separate with commas.',
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
    }),
  };

  protected operationInput(): Record<string, unknown> {
    const f = this.flags;
    return {
      action: 'edit',
      phoneNumber: f.number,
      phoneName: f.name,
      phoneNumberNew: f['new-number'],
      phoneNameNew: f['new-name'],
      assignSkill: skills(f['assign-skill']),
      unAssignSkill: skills(f['unassign-skill']),
    };
  }

  protected describeSuccess(op: PhoneOperation, result: CallResult): string[] {
    const changes: string[] = [];
    if (op.phoneNumberNew !== undefined && op.phoneNumberNew !== op.phoneNumber) changes.push(`number → ${op.phoneNumberNew}`);
    if (op.phoneNameNew !== undefined && op.phoneNameNew !== op.phoneName) changes.push(`name → ${op.phoneNameNew}`);
    // A partial success changed the number and name but not the skills: list only what was done.
    const partial = result.outcome.kind === 'partial_success';
    if (!partial && op.assignSkill?.length) changes.push(`assigned ${op.assignSkill.join(', ')}`);
    if (!partial && op.unAssignSkill?.length) changes.push(`unassigned ${op.unAssignSkill.join(', ')}`);
    const lines = [`Edited ${op.phoneNumber} (${op.phoneName}): ${changes.join('; ') || (partial ? 'number and name kept' : 'no change')}`];
    if (partial) lines.push(`Skills were NOT applied: ${result.outcome.message}`);
    return lines;
  }
}
