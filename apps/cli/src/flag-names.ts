import type { ValidationIssue } from '@cloudagent-phone/core';

/**
 * Core names fields the vendor's way; a person at a terminal typed flags. Every message about a
 * field is rewritten to name the flag they can change.
 */
export const FLAG_FOR_FIELD: Readonly<Record<string, string>> = {
  phoneNumberNew: '--new-number',
  phoneNameNew: '--new-name',
  PhoneNameNew: '--new-name',
  phoneNumber: '--number',
  phoneName: '--name',
  assignSkill: '--assign-skill',
  unAssignSkill: '--unassign-skill',
  skill: '--skill',
  userName: 'CLOUDAGENT_USERNAME (or --user)',
  apiKey: 'CLOUDAGENT_API_KEY (or --api-key-stdin)',
  token: 'the token',
};

/** For the bulk file the "flag" is the CSV column, which already has the vendor's name. */
export type FieldNamer = (field: string) => string;

export const flagNamer: FieldNamer = (field) => FLAG_FOR_FIELD[field] ?? field;
export const columnNamer: FieldNamer = (field) => (field === 'PhoneNameNew' ? 'phoneNameNew' : field);

// Longest names first so phoneNumberNew is not read as phoneNumber + "New". Only the camelCase
// names: "skill" and "token" are also plain words in the rules' prose ("an empty skill name").
const FIELD_PATTERN = new RegExp(
  `\\b(${Object.keys(FLAG_FOR_FIELD)
    .filter((field) => /[A-Z]/.test(field))
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
  'g',
);

export interface NamedIssue {
  /** The vendor field core reported. */
  field: string;
  /** The flag (or CSV column, or variable) a person changes to fix it. */
  flag: string;
  rule: string;
  message: string;
}

/** The fields an edit changes: an edit that gives none of them is pointed at all of them. */
const EDIT_CHANGES = ['phoneNumberNew', 'phoneNameNew', 'assignSkill', 'unAssignSkill'] as const;

export function nameIssue(issue: ValidationIssue, namer: FieldNamer = flagNamer): NamedIssue {
  const flag = namer(issue.field);
  if (issue.rule === 'edit-no-change') {
    // Core pins this rule on phoneNumberNew, but any one of the four would do: "--new-number: ..." would send people to the wrong flag.
    const names = EDIT_CHANGES.map((field) => namer(field));
    const message = `the edit changes nothing: give ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    return { field: issue.field, flag, rule: issue.rule, message };
  }
  // Core starts a message with the field it is about, whatever its spelling.
  const leading = issue.message.startsWith(`${issue.field} `) ? `${flag} ${issue.message.slice(issue.field.length + 1)}` : issue.message;
  const message = leading.replace(FIELD_PATTERN, (field) => namer(field));
  // Some rules are sentences about the whole input ("the edit changes nothing"): say where to act.
  return { field: issue.field, flag, rule: issue.rule, message: message.includes(flag) ? message : `${flag}: ${message}` };
}
