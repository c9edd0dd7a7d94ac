// Every answer the reference documents, compared with literal strings copied from
// docs/reference/cloudagent-phone-api.md (not imported from core), so a drift in either fails here.
import { describe, expect, it } from 'vitest';
import { KEY, USER, makeSimulator, token, v1Params, v2, v2Get } from './helpers.js';

const SUCCESS = { status: 'success', message: 'record inserted successfully' };
const PARTIAL = { status: 'success', message: 'record inserted successfully and failed to insert skills please pass the valid skills' };
const err = (message: string) => ({ status: 'error', message });
const LIMIT = " Phone Number Limit Exceeded. Please\nrefer to the 'Phone Number Creation Limit' option under 'Edit Profile'\nfor reference. ";
const NAME_RULE =
  'phoneName should be between 2 to 50 alphanumeric characters long allows prefix + and special characters like .,@,_,- and Name cannot start and end with Special characters.';
const LENGTH = 'phoneNumber should be between 3 to 17 digits long and allows prefix +';

const create = (extra: Record<string, string>) => ({ action: 'create', userName: USER, ...extra });

describe.each(['v1', 'v2'] as const)('documented PhoneManageV2 answers over %s', (version) => {
  const send = (sim: ReturnType<typeof makeSimulator>, params: Record<string, string>) =>
    version === 'v1' ? v1Params(sim, params) : v2(sim, { userName: USER, ...params });

  it('success: create, edit and delete all say "record inserted successfully"', async () => {
    const sim = makeSimulator();
    const c = await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'Agent7' });
    expect(c.status).toBe(200);
    expect(c.json).toEqual(SUCCESS);
    const e = await send(sim, { action: 'edit', phoneNumber: '5551234', phoneName: 'agent7', phoneNumberNew: '5551235', PhoneNameNew: 'Agent8' });
    expect(e.json).toEqual(SUCCESS);
    const d = await send(sim, { action: 'delete', phoneNumber: '5551235', phoneName: 'AGENT8' });
    expect(d.json).toEqual(SUCCESS);
    expect(c.text).toBe('{"status":"success","message":"record inserted successfully"}');
  });

  it('invalid api key and invalid user name: "userName or apiKey not valid"', async () => {
    const sim = makeSimulator();
    const badKey =
      version === 'v1'
        ? await v1Params(sim, { apiKey: 'wrong', action: 'create', phoneNumber: '5551234', phoneName: 'Agent7' })
        : await v2(sim, create({ phoneNumber: '5551234', phoneName: 'Agent7' }), { apiKey: 'wrong' });
    expect(badKey.json).toEqual(err('userName or apiKey not valid'));
    const badUser = await send(sim, { userName: 'someone', action: 'create', phoneNumber: '5551234', phoneName: 'Agent7' });
    expect(badUser.json).toEqual(err('userName or apiKey not valid'));
    expect(sim.control.applyCount()).toBe(0);
  });

  it('invalid action: "action not valid"', async () => {
    const sim = makeSimulator();
    expect((await send(sim, { action: 'list' })).json).toEqual(err('action not valid'));
    expect((await send(sim, { action: 'Create', phoneNumber: '5551234', phoneName: 'Agent7' })).json).toEqual(err('action not valid'));
  });

  it('number not numeric, empty number, empty name', async () => {
    const sim = makeSimulator();
    expect((await send(sim, { action: 'create', phoneNumber: '98765-43210', phoneName: 'Agent7' })).json).toEqual(err('phoneNumber must be numeric'));
    expect((await send(sim, { action: 'create', phoneNumber: '', phoneName: 'Agent7' })).json).toEqual(err('phoneNumber cannot be empty'));
    expect((await send(sim, { action: 'create', phoneName: 'Agent7' })).json).toEqual(err('phoneNumber cannot be empty'));
    expect((await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: '' })).json).toEqual(err('phoneName cannot be empty'));
    expect((await send(sim, { action: 'edit', phoneNumber: '9876543210', phoneName: '', phoneNumberNew: '5551234' })).json).toEqual(err('phoneName cannot be empty'));
    expect((await send(sim, { action: 'delete', phoneNumber: 'abc', phoneName: 'Desk1' })).json).toEqual(err('phoneNumber must be numeric'));
  });

  it('number length on create: 3 to 17 digits with an optional +', async () => {
    const sim = makeSimulator();
    expect((await send(sim, { action: 'create', phoneNumber: '12', phoneName: 'Agent7' })).json).toEqual(err(LENGTH));
    expect((await send(sim, { action: 'create', phoneNumber: '123456789012345678', phoneName: 'Agent7' })).json).toEqual(err(LENGTH));
    expect((await send(sim, { action: 'create', phoneNumber: '+12345678901234567', phoneName: 'Agent7' })).json).toEqual(SUCCESS);
    expect((await send(sim, { action: 'create', phoneNumber: '123', phoneName: 'Agent8' })).json).toEqual(SUCCESS);
  });

  it('the name rule on create', async () => {
    const sim = makeSimulator();
    for (const bad of ['A', 'x'.repeat(51), '.Agent', 'Agent_', 'Agent 7', 'Agent#7', '+.x']) {
      expect((await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: bad })).json, bad).toEqual(err(NAME_RULE));
    }
    for (const [i, good] of ['A7', '+Agent', 'a.b,c@d_e-f', 'x'.repeat(50)].entries()) {
      expect((await send(sim, { action: 'create', phoneNumber: `555123${i}`, phoneName: good })).json, good).toEqual(SUCCESS);
    }
  });

  it('number or name already exists, names compared case-insensitively', async () => {
    const sim = makeSimulator();
    expect((await send(sim, { action: 'create', phoneNumber: '9876543210', phoneName: 'Other' })).json).toEqual(err('phone_name or phone_number already exist'));
    expect((await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'DESK1' })).json).toEqual(err('phone_name or phone_number already exist'));
    expect((await send(sim, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '+14155550100' })).json).toEqual(
      err('phone_name or phone_number already exist'),
    );
    expect((await send(sim, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543210', PhoneNameNew: 'front.desk' })).json).toEqual(
      err('phone_name or phone_number already exist'),
    );
    expect(sim.control.applyCount()).toBe(0);
  });

  it("the account's phone-number limit, message verbatim with its spaces and line breaks", async () => {
    const sim = makeSimulator({ phoneNumberLimit: 3 });
    expect((await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'Agent7' })).json).toEqual(SUCCESS);
    const over = await send(sim, { action: 'create', phoneNumber: '5551235', phoneName: 'Agent8' });
    expect(over.json).toEqual(err(LIMIT));
    expect((over.json as { message: string }).message).toMatch(/^ Phone Number Limit Exceeded\. Please\nrefer to .*'Edit Profile'\nfor reference\. $/);
    expect(sim.control.records()).toHaveLength(3);
    // Deleting frees a place.
    expect((await send(sim, { action: 'delete', phoneNumber: '5551234', phoneName: 'Agent7' })).json).toEqual(SUCCESS);
    expect((await send(sim, { action: 'create', phoneNumber: '5551235', phoneName: 'Agent8' })).json).toEqual(SUCCESS);
  });

  it('invalid skill key and missing skill value: the documented partial success', async () => {
    const sim = makeSimulator();
    expect((await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'Agent7', skill: 'General,Python' })).json).toEqual(PARTIAL);
    expect((await send(sim, { action: 'create', phoneNumber: '5551235', phoneName: 'Agent8', skill: '' })).json).toEqual(PARTIAL);
    expect((await send(sim, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543219', assignSkill: 'kolm' })).json).toEqual(PARTIAL);
    expect((await send(sim, { action: 'edit', phoneNumber: '9876543219', phoneName: 'Desk1', phoneNumberNew: '9876543219', unAssignSkill: '' })).json).toEqual(PARTIAL);
    const records = sim.control.records();
    // The record changed; the skills did not.
    expect(records.find((r) => r.phoneNumber === '5551234')).toEqual({ phoneNumber: '5551234', phoneName: 'Agent7', skills: [] });
    expect(records.find((r) => r.phoneNumber === '9876543219')).toEqual({ phoneNumber: '9876543219', phoneName: 'Desk1', skills: ['General'] });
  });

  it('valid skills are assigned and unassigned from the catalogue (case-insensitively)', async () => {
    const sim = makeSimulator();
    expect((await send(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'Agent7', skill: 'sales, QA_Skill' })).json).toEqual(SUCCESS);
    expect(sim.state.byNumber('5551234')?.skills).toEqual(['Sales', 'QA_Skill']);
    expect((await send(sim, { action: 'edit', phoneNumber: '5551234', phoneName: 'Agent7', phoneNumberNew: '5551234', assignSkill: 'Support', unAssignSkill: 'Sales' })).json).toEqual(SUCCESS);
    expect(sim.state.byNumber('5551234')?.skills).toEqual(['QA_Skill', 'Support']);
  });
});

describe('documented answers that exist on v2 only', () => {
  it('get: the bare record, found by number or by name (case-insensitive)', async () => {
    const sim = makeSimulator();
    const byNumber = await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' });
    expect(byNumber.status).toBe(200);
    expect(byNumber.text).toBe('{"phoneNumber":"9876543210","phoneName":"Desk1"}');
    expect((await v2Get(sim, { action: 'get', userName: USER, phoneName: 'front.DESK' })).json).toEqual({ phoneNumber: '+14155550100', phoneName: 'Front.Desk' });
  });

  it('get with a bad user name: the message with its leading space', async () => {
    const sim = makeSimulator();
    expect((await v2Get(sim, { action: 'get', userName: 'nobody', phoneNumber: '9876543210' })).json).toEqual({ status: 'error', message: ' userName or apiKey not valid' });
    expect((await v2Get(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' }, { apiKey: 'nope' })).json).toEqual({ status: 'error', message: ' userName or apiKey not valid' });
  });

  it('v1 has no get: "action not valid"', async () => {
    const sim = makeSimulator();
    expect((await v1Params(sim, { action: 'get', phoneNumber: '9876543210' })).json).toEqual(err('action not valid'));
  });

  it('missing credentials: HTTP 401 "Missing userName or apiKey"', async () => {
    const sim = makeSimulator();
    const noKey = await v2(sim, create({ phoneNumber: '5551234', phoneName: 'Agent7' }), {});
    expect(noKey.status).toBe(401);
    expect(noKey.json).toEqual({ status: 'false', message: 'Missing userName or apiKey' });
    const noUser = await v2(sim, { action: 'create', phoneNumber: '5551234', phoneName: 'Agent7' });
    expect(noUser.status).toBe(401);
    expect(noUser.json).toEqual({ status: 'false', message: 'Missing userName or apiKey' });
  });

  it('parameters in the query string instead of JSON: "Invalid Json Pass Valid Json"', async () => {
    const sim = makeSimulator();
    const q = await v2(sim, undefined, { apiKey: KEY }, 'POST', `?action=create&userName=${USER}&phoneNumber=5551234&phoneName=Agent7`);
    expect(q.json).toEqual({ status: 'false', message: 'Invalid Json Pass Valid Json' });
    // The vendor's own sample body (a comma missing after the phoneNameNew pair) is not JSON either.
    const sample = `{"action":"edit","userName":"${USER}","phoneNumber":"9876543210","phoneName":"Desk1","phoneNumberNew":"9876543211","phoneNameNew":"Desk2" "assignSkill":"General"}`;
    expect((await v2(sim, sample)).json).toEqual({ status: 'false', message: 'Invalid Json Pass Valid Json' });
    expect(sim.control.applyCount()).toBe(0);
  });

  it('wrong verb: HTTP 405', async () => {
    const sim = makeSimulator();
    expect((await v2(sim, create({ phoneNumber: '5551234', phoneName: 'Agent7' }), { apiKey: KEY }, 'PUT')).status).toBe(405);
    expect((await v2(sim, undefined, { apiKey: KEY }, 'DELETE')).status).toBe(405);
    // get must be a GET; create must be a POST.
    expect((await v2(sim, { action: 'get', userName: USER, phoneNumber: '9876543210' })).status).toBe(405);
    expect((await v2Get(sim, create({ phoneNumber: '5551234', phoneName: 'Agent7' }))).status).toBe(405);
    expect(sim.control.applyCount()).toBe(0);
  });
});

describe('documented CAToken answers', () => {
  it('ok: {"token":"eyJ...","message":""}', async () => {
    const sim = makeSimulator({ auth: 'token' });
    const r = await token(sim);
    expect(r.status).toBe(200);
    expect(Object.keys(r.json as object)).toEqual(['token', 'message']);
    expect((r.json as { token: string }).token).toMatch(/^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect((r.json as { message: string }).message).toBe('');
  });

  it('missing userName, bad userName or key', async () => {
    const sim = makeSimulator({ auth: 'token' });
    expect((await token(sim, {})).json).toEqual({ status: 'false', message: 'UserName is null', data: null });
    expect((await token(sim, { userName: 'nobody' })).json).toEqual({ status: 'false', message: 'Invalid userName or apiKey', data: null });
    expect((await token(sim, { userName: USER }, { apiKey: 'wrong' })).json).toEqual({ status: 'false', message: 'Invalid userName or apiKey', data: null });
    expect((await token(sim, { userName: USER }, {})).json).toEqual({ status: 'false', message: 'Invalid userName or apiKey', data: null });
  });
});
