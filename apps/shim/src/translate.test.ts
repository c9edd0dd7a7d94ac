import { describe, expect, it } from 'vitest';
import { VENDOR_MESSAGES as M } from '@cloudagent-phone/core';
import { translateV1 } from './translate.js';

const none = { quirks: [], mismatches: [] };
const creds = { apiKey: 'key-for-unit-tests', userName: 'acme' };

describe('translateV1', () => {
  it('refuses get as v1 did (v1 has no get), and a missing key before anything else', () => {
    const get = translateV1({ ...creds, action: 'get', phoneNumber: '+919876543210' }, none);
    expect(get.ok ? undefined : get.answer.message).toBe(M.actionInvalid);
    const noKey = translateV1({ userName: 'acme', action: 'create', phoneNumber: '' }, none);
    expect(noKey.ok ? undefined : noKey.answer.message).toBe(M.authInvalid);
  });

  it('reads an empty new number or name on an edit as "unchanged", restores a raw +, keeps only what the action reads', () => {
    const t = translateV1({ ...creds, action: 'edit', phoneNumber: ' 919876543210', phoneName: 'Support', phoneNumberNew: '', PhoneNameNew: 'Helpdesk', skill: 'General' }, none);
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.operation).toEqual({ action: 'edit', phoneNumber: '+919876543210', phoneName: 'Support', phoneNumberNew: '+919876543210', phoneNameNew: 'Helpdesk' });
    expect(t.quirks).toContain('plus-as-space');
    expect(t.mismatches).toEqual(['unused-parameter']);
    expect(t.credentials).toEqual({ userName: 'acme', apiKey: 'key-for-unit-tests' });
  });

  it('drops empty skill entries and says so', () => {
    const t = translateV1({ ...creds, action: 'create', phoneNumber: '+917000000001', phoneName: 'Desk1', skill: 'General,, ' }, none);
    expect(t.ok && t.operation.skill).toEqual(['General']);
    expect(t.ok && t.skillsDropped).toBe(true);
  });

  it("refuses an edit that changes nothing in core's words, flagged as not a v1 message", () => {
    const t = translateV1({ ...creds, action: 'edit', phoneNumber: '+919876543210', phoneName: 'Support' }, none);
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.answer).toMatchObject({ httpStatus: 200, status: 'error', v1Message: false });
    expect(t.answer.message).toMatch(/changes nothing/);
    expect(t.mismatches).toContain('no-v1-message');
  });
});
