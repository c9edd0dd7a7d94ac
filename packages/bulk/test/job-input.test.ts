import { describe, expect, it } from 'vitest';
import { validateJobRows } from '../src/index.js';

describe('validateJobRows', () => {
  it('builds edits by default, creates and deletes when asked, with the job-wide or the row userName', () => {
    const input = validateJobRows(
      [
        { phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'Sales_N', assignSkill: 'General;QA_Skill', unAssignSkill: '' },
        { action: 'create', phoneNumber: '+919876543211', phoneName: 'Ops', userName: 'other_account' },
        { action: 'delete', phoneNumber: '+919876543212', phoneName: 'Old' },
      ],
      { userName: 'main_account' },
    );
    expect(input).toEqual({
      ok: true,
      userNames: ['main_account', 'other_account'],
      rows: [
        { row: 1, userName: 'main_account', input: { action: 'edit', phoneNumber: '+919876543210', phoneName: 'Sales', phoneNumberNew: '+919876543210', phoneNameNew: 'Sales_N', assignSkill: ['General', 'QA_Skill'] } },
        { row: 2, userName: 'other_account', input: { action: 'create', phoneNumber: '+919876543211', phoneName: 'Ops' } },
        { row: 3, userName: 'main_account', input: { action: 'delete', phoneNumber: '+919876543212', phoneName: 'Old' } },
      ],
    });
  });

  it('names every bad row and field, and accepts no row when any is bad', () => {
    const input = validateJobRows([
      { phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'S2', userName: 'a' },
      { phoneNumber: 'abc', phoneName: 'Sales', phoneNameNew: 'S2', userName: 'a' },
      { phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'S2', colour: 'blue', userName: 'a' },
      { phoneNumber: '+919876543210', phoneName: 'Sales', phoneNameNew: 'S2' },
      { action: 'get', phoneNumber: '+919876543210', userName: 'a' },
    ]);
    expect(input.ok).toBe(false);
    if (input.ok) return;
    expect(input.badRows).toBe(4);
    expect(input.issues.map((i) => [i.row, i.field])).toEqual([
      [2, 'phoneNumber'],
      [3, 'colour'],
      [4, 'userName'],
      [5, 'action'],
    ]);
    expect(input.issues[0]!.message).toMatch(/^row 2: /);
  });

  it('refuses more rows than a job takes, an empty job, and lists at most maxIssues issues', () => {
    const many = Array.from({ length: 11 }, () => ({ phoneNumber: '+919876543210', phoneName: 'S', phoneNameNew: 'T', userName: 'a' }));
    expect(validateJobRows(many, { maxRows: 10 })).toMatchObject({ ok: false, issues: [{ row: 11, rule: 'max-rows' }] });
    expect(validateJobRows([])).toMatchObject({ ok: false, issues: [{ field: 'body', rule: 'required' }] });
    const bad = Array.from({ length: 7 }, () => ({ phoneNumber: 'x', phoneName: 'S', phoneNameNew: 'T', userName: 'a' }));
    expect(validateJobRows(bad, { maxIssues: 3 })).toMatchObject({ ok: false, badRows: 7, issues: { length: 3 } });
  });
});
