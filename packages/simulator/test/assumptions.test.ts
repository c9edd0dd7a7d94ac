// Cases the vendor documents nothing for: each answer is an error status. The not-found wordings are
// core's `not_found` (docs/decisions.md); other words are `rejected`: a definite refusal, never
// ambiguous. Read-back treats either answer to get as "absent". See README, "Assumptions".
import { classify, judgeReadBack, type PhoneAction, type PhoneOperation } from '@cloudagent-phone/core';
import { describe, expect, it } from 'vitest';
import { USER, makeSimulator, ok, v2, v2Get, type Reply } from './helpers.js';

const asOutcome = (r: Reply, action: PhoneAction) => classify({ status: r.status, headers: Object.fromEntries(r.headers), body: r.text }, action);

describe('undocumented cases (assumptions)', () => {
  it('editing a number that does not exist: "phoneNumber does not exist", classified not_found', async () => {
    const sim = makeSimulator();
    const r = await v2(sim, { action: 'edit', userName: USER, phoneNumber: '5550000', phoneName: 'Ghost', phoneNumberNew: '5550001' });
    expect(r.json).toEqual({ status: 'error', message: 'phoneNumber does not exist' });
    const outcome = asOutcome(r, 'edit');
    expect(outcome).toMatchObject({ kind: 'not_found', field: 'phoneNumber', nameMismatch: false, applied: 'no' });
    expect(sim.control.applyCount()).toBe(0);
  });

  it('deleting a number that does not exist: the same answer', async () => {
    const sim = makeSimulator();
    const r = await v2(sim, { action: 'delete', userName: USER, phoneNumber: '5550000', phoneName: 'Ghost' });
    expect(r.json).toEqual({ status: 'error', message: 'phoneNumber does not exist' });
    expect(asOutcome(r, 'delete')).toMatchObject({ kind: 'not_found', field: 'phoneNumber', applied: 'no' });
  });

  it('an existing number with a name that is not its own: "phoneName does not match phoneNumber"', async () => {
    const sim = makeSimulator();
    const edit = await v2(sim, { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'NotDesk1', phoneNumberNew: '5550001' });
    expect(edit.json).toEqual({ status: 'error', message: 'phoneName does not match phoneNumber' });
    const del = await v2(sim, { action: 'delete', userName: USER, phoneNumber: '9876543210', phoneName: 'NotDesk1' });
    expect(del.json).toEqual({ status: 'error', message: 'phoneName does not match phoneNumber' });
    expect(asOutcome(del, 'delete')).toMatchObject({ kind: 'not_found', nameMismatch: true, applied: 'no' });
    expect(sim.control.applyCount()).toBe(0);
  });

  it('editing a number to itself with nothing else: "nothing to update", rejected', async () => {
    const sim = makeSimulator();
    const same = await v2(sim, { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543210', PhoneNameNew: 'Desk1' });
    expect(same.json).toEqual({ status: 'error', message: 'nothing to update' });
    expect(asOutcome(same, 'edit')).toMatchObject({ kind: 'rejected', vendorMessage: 'nothing to update', applied: 'no' });
    const omitted = await v2(sim, { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1' });
    expect(omitted.json).toEqual({ status: 'error', message: 'nothing to update' });
    expect(sim.control.applyCount()).toBe(0);
  });

  it('a missing or empty phoneNumberNew keeps the number (a rename)', async () => {
    const sim = makeSimulator();
    expect((await v2(sim, { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1', phoneNameNew: 'Desk9' })).json).toEqual(ok);
    expect(sim.state.byNumber('9876543210')?.phoneName).toBe('Desk9');
  });

  it('new values on edit follow the create rules (length and name rule)', async () => {
    const sim = makeSimulator();
    const base = { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1' };
    expect((await v2(sim, { ...base, phoneNumberNew: '12' })).json).toEqual({ status: 'error', message: 'phoneNumber should be between 3 to 17 digits long and allows prefix +' });
    expect((await v2(sim, { ...base, phoneNumberNew: '12a' })).json).toEqual({ status: 'error', message: 'phoneNumber must be numeric' });
    expect(((await v2(sim, { ...base, phoneNumberNew: '9876543210', PhoneNameNew: '-bad-' })).json as { message: string }).message).toMatch(/^phoneName should be between 2 to 50/);
  });

  it('get of a missing number or name: an error the read-back logic takes as "absent"', async () => {
    const sim = makeSimulator();
    const r = await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '5550000' });
    expect(r.json).toEqual({ status: 'error', message: 'phoneNumber does not exist' });
    expect((await v2Get(sim, { action: 'get', userName: USER, phoneName: 'Ghost' })).json).toEqual({ status: 'error', message: 'phoneName does not exist' });
    expect((await v2Get(sim, { action: 'get', userName: USER })).json).toEqual({ status: 'error', message: 'You need to pass either phoneName or phoneNumber to get the other one' });
    const create: PhoneOperation = { action: 'create', phoneNumber: '5550000', phoneName: 'Ghost' };
    expect(judgeReadBack(create, [asOutcome(r, 'get')]).verdict).toBe('not_applied');
  });

  it('a retried edit whose first attempt landed meets "already exist", and read-back calls it applied', async () => {
    const sim = makeSimulator();
    const op = { action: 'edit', userName: USER, phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543211', phoneNameNew: 'Desk2' };
    expect((await v2(sim, op)).json).toEqual(ok);
    const again = await v2(sim, op);
    expect(again.json).toEqual({ status: 'error', message: 'phone_name or phone_number already exist' });
    expect(asOutcome(again, 'edit').kind).toBe('conflict');
    const lookups = [await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543211' }), await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' })];
    const verdict = judgeReadBack({ action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543211', phoneNameNew: 'Desk2' }, lookups.map((l) => asOutcome(l, 'get')));
    expect(verdict.verdict).toBe('applied');
    expect(sim.control.applyCount()).toBe(1);
  });
});

describe('v2 body details', () => {
  it('a leading %2B in a JSON number field is read as +', async () => {
    const sim = makeSimulator();
    expect((await v2(sim, { action: 'create', userName: USER, phoneNumber: '%2B919876500000', phoneName: 'Agent7' })).json).toEqual(ok);
    expect(sim.state.byNumber('+919876500000')).toBeDefined();
  });

  it('JSON numbers are read as their digits, skill arrays as comma lists', async () => {
    const sim = makeSimulator();
    expect((await v2(sim, { action: 'create', userName: USER, phoneNumber: 5551234, phoneName: 'Agent7', skill: ['General', 'Sales'] })).json).toEqual(ok);
    expect(sim.state.byNumber('5551234')).toEqual({ phoneNumber: '5551234', phoneName: 'Agent7', skills: ['General', 'Sales'] });
  });

  it('numbers are matched as sent: +1415... and 1415... are different records', async () => {
    const sim = makeSimulator();
    expect((await v2(sim, { action: 'create', userName: USER, phoneNumber: '14155550100', phoneName: 'Agent7' })).json).toEqual(ok);
  });

  it('applied mutations carry the identity of the request that applied them', async () => {
    const sim = makeSimulator();
    const res = await sim.fetch(
      new Request('http://sim.test/ca_apis/PhoneManageV2', {
        method: 'POST',
        headers: { apiKey: 'CANARY-KEY-7f3a9c', 'content-type': 'application/json', 'x-request-id': 'req-42' },
        body: JSON.stringify({ action: 'delete', userName: USER, phoneNumber: '9876543210', phoneName: 'desk1' }),
      }),
    );
    expect(res.headers.get('x-request-id')).toMatch(/^sim-\d+$/);
    const [applied] = sim.control.applied();
    expect(applied).toMatchObject({ action: 'delete', version: 'v2', requestId: 'req-42', before: { phoneNumber: '9876543210', phoneName: 'Desk1' } });
    expect(applied?.after).toBeUndefined();
    expect(sim.control.calls().find((c) => c.id === applied?.callId)?.requestId).toBe('req-42');
  });
});
