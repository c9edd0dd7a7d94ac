import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import type { PhoneOperation } from './operation.js';
import { judgeReadBack, readBackLookups } from './read-back.js';

const found = (phoneNumber: string, phoneName: string) => classify({ status: 200, body: JSON.stringify({ phoneNumber, phoneName }) }, 'get');
const absent = classify({ status: 200, body: JSON.stringify({ status: 'error', message: 'phoneNumber not found' }) }, 'get');
const unreadable = classify({ status: 503, body: '' }, 'get');

const edit: PhoneOperation = { action: 'edit', phoneNumber: '111', phoneName: 'Old', phoneNumberNew: '222', phoneNameNew: 'New' };

describe('read-back', () => {
  it('plans a lookup of the new and the old number for an edit that moves the number', () => {
    expect(readBackLookups(edit)).toEqual([{ action: 'get', phoneNumber: '222' }, { action: 'get', phoneNumber: '111' }]);
    expect(readBackLookups({ action: 'edit', phoneNumber: '111', phoneName: 'Old', phoneNumberNew: '111', phoneNameNew: 'N' })).toEqual([{ action: 'get', phoneNumber: '111' }]);
  });
  it('judges an edit', () => {
    expect(judgeReadBack(edit, [found('222', 'new'), absent]).verdict).toBe('applied');
    expect(judgeReadBack(edit, [absent, found('111', 'Old')]).verdict).toBe('not_applied');
    expect(judgeReadBack(edit, [unreadable, found('111', 'Old')]).verdict).toBe('unknown');
    expect(judgeReadBack(edit, [found('222', 'Someone'), absent]).verdict).toBe('unknown');
  });
  it('judges a rename in place', () => {
    const rename: PhoneOperation = { action: 'edit', phoneNumber: '111', phoneName: 'Old', phoneNumberNew: '111', phoneNameNew: 'New' };
    expect(judgeReadBack(rename, [found('111', 'New')]).verdict).toBe('applied');
    expect(judgeReadBack(rename, [found('111', 'old')]).verdict).toBe('not_applied');
  });
  it('cannot see skills', () => {
    const skillsOnly: PhoneOperation = { action: 'edit', phoneNumber: '111', phoneName: 'Old', phoneNumberNew: '111', assignSkill: ['A'] };
    expect(judgeReadBack(skillsOnly, [found('111', 'Old')])).toMatchObject({ verdict: 'unknown', skillsUnverified: true });
  });
  it.each([
    ['the fields-missing answer', { status: 'error', message: 'You need to pass either phoneName or phoneNumber to get the other one' }],
    ['an empty-number answer', { status: 'error', message: 'phoneNumber cannot be empty' }],
    ['the invalid-JSON answer', { status: 'false', message: 'Invalid Json Pass Valid Json' }],
    ['a numeric-number answer', { status: 'error', message: 'phoneNumber must be numeric' }],
  ])('never takes %s (a GET whose body was lost) as "no such record"', (_name, answer) => {
    const lost = classify({ status: 200, body: JSON.stringify(answer) }, 'get');
    const del: PhoneOperation = { action: 'delete', phoneNumber: '333', phoneName: 'Desk' };
    expect(judgeReadBack(del, [lost]).verdict).toBe('unknown');
    expect(judgeReadBack({ action: 'create', phoneNumber: '333', phoneName: 'Desk' }, [lost]).verdict).toBe('unknown');
  });
  it('judges create and delete', () => {
    const create: PhoneOperation = { action: 'create', phoneNumber: '333', phoneName: 'Desk' };
    expect(judgeReadBack(create, [found('333', 'DESK')]).verdict).toBe('applied');
    expect(judgeReadBack(create, [absent]).verdict).toBe('not_applied');
    const del: PhoneOperation = { action: 'delete', phoneNumber: '333', phoneName: 'Desk' };
    expect(judgeReadBack(del, [absent]).verdict).toBe('applied');
    expect(judgeReadBack(del, [found('333', 'Desk')]).verdict).toBe('not_applied');
    expect(judgeReadBack(del, [unreadable]).verdict).toBe('unknown');
  });
});
