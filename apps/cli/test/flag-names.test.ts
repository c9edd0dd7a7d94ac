import { validateOperation } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { columnNamer, nameIssue } from '../src/flag-names.js';

function issuesOf(input: Record<string, unknown>) {
  const r = validateOperation(input);
  if (r.ok) throw new Error('expected invalid input');
  return r.issues;
}

describe('nameIssue', () => {
  it('names the flag, not the vendor field, and keeps the rule id', () => {
    const [issue] = issuesOf({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNumberNew: '12' });
    const named = nameIssue(issue!);
    expect(named).toMatchObject({ field: 'phoneNumberNew', flag: '--new-number', rule: 'phone-number-format' });
    expect(named.message).toMatch(/^--new-number must be 3 to 17 digits/);
    expect(named.message).not.toContain('phoneNumberNew');
  });

  it('does not read phoneNumberNew as phoneNumber + "New"', () => {
    const [issue] = issuesOf({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales' });
    expect(nameIssue(issue!).message).not.toMatch(/--numberNew/);
  });

  it('an edit that changes nothing names every flag that would change something, not --new-number alone', () => {
    const [issue] = issuesOf({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales' });
    expect(issue!.rule).toBe('edit-no-change');
    expect(nameIssue(issue!).message).toBe('the edit changes nothing: give --new-number, --new-name, --assign-skill or --unassign-skill');
    expect(nameIssue(issue!, columnNamer).message).toBe('the edit changes nothing: give phoneNumberNew, phoneNameNew, assignSkill or unAssignSkill');
  });

  it('maps the skill fields', () => {
    const [issue] = issuesOf({ action: 'edit', phoneNumber: '1234', phoneName: 'Sales', assignSkill: ['A'], unAssignSkill: ['a'] });
    expect(nameIssue(issue!)).toMatchObject({ flag: '--unassign-skill' });
  });

  it('leaves the words "skill" and "token" in a rule\'s prose alone', () => {
    const [assign] = issuesOf({ action: 'edit', phoneNumber: '1234', phoneName: 'Sales', assignSkill: ['General', ''] });
    expect(nameIssue(assign!).message).toBe('--assign-skill cannot contain an empty skill name');
    const [create] = issuesOf({ action: 'create', phoneNumber: '1234', phoneName: 'Sales', skill: ['x'.repeat(300)] });
    expect(nameIssue(create!).message).toMatch(/^--skill .*skill names must be at most/);
    expect(nameIssue(create!).message).not.toMatch(/--skill names/);
  });

  it('names CSV columns with the vendor spelling for bulk files', () => {
    const [issue] = issuesOf({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'x' });
    expect(nameIssue(issue!, columnNamer)).toMatchObject({ flag: 'phoneNameNew' });
    expect(nameIssue(issue!, columnNamer).message).toMatch(/^phoneNameNew /);
  });
});
