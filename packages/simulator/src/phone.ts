import { VENDOR_MESSAGES as M, vendorRejection } from '@cloudagent-phone/core';
import type { PhoneRecord, ResolvedOptions } from './options.js';
import type { SimulatorState } from './store.js';

/** The fields PhoneManageV2 reads, as strings (v1: as PHP decoded them; v2: from the JSON body). */
export interface PhoneParams {
  action?: string;
  userName?: string;
  phoneNumber?: string;
  phoneName?: string;
  phoneNumberNew?: string;
  phoneNameNew?: string;
  assignSkill?: string;
  unAssignSkill?: string;
  skill?: string;
}

export interface Answer {
  httpStatus: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * Answers the vendor documents nothing for, each an `error` status. Core reads the first three as
 * `not_found` (its recognised not-found wordings, docs/decisions.md) and "nothing to update" as
 * `rejected`; none is ambiguous (see README, ASSUMPTIONS).
 */
export const SIMULATOR_MESSAGES = {
  numberNotFound: 'phoneNumber does not exist',
  nameNotFound: 'phoneName does not exist',
  nameMismatch: 'phoneName does not match phoneNumber',
  nothingToUpdate: 'nothing to update',
  getNeedsKey: 'You need to pass either phoneName or phoneNumber to get the other one',
} as const;

export const vendor = (status: 'success' | 'error', message: string): Answer => ({ httpStatus: 200, body: { status, message } });

/** CloudAgent's own field checks (core's vendorRejection), as an answer. */
function rejection(action: 'create' | 'edit' | 'delete', p: PhoneParams): Answer | undefined {
  const key = vendorRejection(action, p);
  return key ? vendor('error', M[key]) : undefined;
}

const isEmpty = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A comma list of skills resolved against the catalogue, or undefined when any entry is empty or unknown. */
function resolveSkills(list: string, catalogue: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    const wanted = raw.trim().toLowerCase();
    const found = catalogue.find((s) => s.toLowerCase() === wanted);
    if (wanted === '' || !found) return undefined;
    if (!out.includes(found)) out.push(found);
  }
  return out;
}

export interface MutationIdentity {
  callId: number;
  requestId?: string;
  version: 'v1' | 'v2';
}

export class PhoneBook {
  constructor(
    private readonly state: SimulatorState,
    private readonly options: ResolvedOptions,
  ) {}

  create(p: PhoneParams, id: MutationIdentity): Answer {
    const invalid = rejection('create', p);
    if (invalid) return invalid;
    const phoneNumber = p.phoneNumber!;
    const phoneName = p.phoneName!.trim();
    if (this.state.byNumber(phoneNumber) || this.state.byName(phoneName)) return vendor('error', M.alreadyExists);
    if (this.state.size >= this.options.phoneNumberLimit) return vendor('error', M.limitExceeded);
    const skills = p.skill === undefined ? [] : resolveSkills(p.skill, this.options.skills);
    this.state.apply({ ...id, action: 'create', at: this.options.now() }, undefined, { phoneNumber, phoneName, skills: skills ?? [] });
    return vendor('success', skills ? M.success : M.partialSkills);
  }

  edit(p: PhoneParams, id: MutationIdentity): Answer {
    const invalid = rejection('edit', p);
    if (invalid) return invalid;
    const phoneNumber = p.phoneNumber!;
    const newNumber = isEmpty(p.phoneNumberNew) ? phoneNumber : p.phoneNumberNew;
    const newName = isEmpty(p.phoneNameNew) ? undefined : p.phoneNameNew.trim();

    const byNumber = this.state.byNumber(phoneNumber);
    const target = byNumber && sameName(byNumber.phoneName, p.phoneName!) ? byNumber : undefined;
    // Duplicates are checked before the target is looked up, so a retried edit whose first attempt
    // landed meets "already exist" (the old number is gone, the new one is taken), as the client expects.
    const numberOwner = this.state.byNumber(newNumber);
    const nameOwner = newName === undefined ? undefined : this.state.byName(newName);
    if ((numberOwner && numberOwner.phoneNumber !== target?.phoneNumber) || (nameOwner && nameOwner.phoneNumber !== target?.phoneNumber)) {
      return vendor('error', M.alreadyExists);
    }
    if (!byNumber) return vendor('error', SIMULATOR_MESSAGES.numberNotFound);
    if (!target) return vendor('error', SIMULATOR_MESSAGES.nameMismatch);

    const touchesSkills = p.assignSkill !== undefined || p.unAssignSkill !== undefined;
    const renamed = newName !== undefined && newName !== target.phoneName;
    if (newNumber === target.phoneNumber && !renamed && !touchesSkills) return vendor('error', SIMULATOR_MESSAGES.nothingToUpdate);

    const assign = p.assignSkill === undefined ? [] : resolveSkills(p.assignSkill, this.options.skills);
    const unassign = p.unAssignSkill === undefined ? [] : resolveSkills(p.unAssignSkill, this.options.skills);
    const skillsOk = assign !== undefined && unassign !== undefined;
    const skills = skillsOk ? [...target.skills.filter((s) => !unassign.includes(s)), ...assign.filter((s) => !target.skills.includes(s) && !unassign.includes(s))] : target.skills;
    const after: PhoneRecord = { phoneNumber: newNumber, phoneName: newName ?? target.phoneName, skills };
    this.state.apply({ ...id, action: 'edit', at: this.options.now() }, target, after);
    return vendor('success', skillsOk ? M.success : M.partialSkills);
  }

  delete(p: PhoneParams, id: MutationIdentity): Answer {
    const invalid = rejection('delete', p);
    if (invalid) return invalid;
    const record = this.state.byNumber(p.phoneNumber!);
    if (!record) return vendor('error', SIMULATOR_MESSAGES.numberNotFound);
    if (!sameName(record.phoneName, p.phoneName!)) return vendor('error', SIMULATOR_MESSAGES.nameMismatch);
    this.state.apply({ ...id, action: 'delete', at: this.options.now() }, record, undefined);
    return vendor('success', M.success);
  }

  get(p: PhoneParams): Answer {
    let record: PhoneRecord | undefined;
    if (!isEmpty(p.phoneNumber)) {
      if (!/^\+?\d+$/.test(p.phoneNumber)) return vendor('error', M.numberNotNumeric);
      record = this.state.byNumber(p.phoneNumber);
      if (!record) return vendor('error', SIMULATOR_MESSAGES.numberNotFound);
    } else if (!isEmpty(p.phoneName)) {
      record = this.state.byName(p.phoneName);
      if (!record) return vendor('error', SIMULATOR_MESSAGES.nameNotFound);
    } else {
      return vendor('error', SIMULATOR_MESSAGES.getNeedsKey);
    }
    return { httpStatus: 200, body: { phoneNumber: record.phoneNumber, phoneName: record.phoneName } };
  }
}
