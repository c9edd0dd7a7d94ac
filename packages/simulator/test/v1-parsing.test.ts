// v1 reads its parameters the way PHP fills $_REQUEST: query and form body merged (the body wins,
// request_order "GP"), + in a raw query is a space, the last duplicate wins, empty pairs are skipped.
import { describe, expect, it } from 'vitest';
import { KEY, USER, makeSimulator, ok, v1 } from './helpers.js';

const creds = `apiKey=${KEY}&userName=${USER}`;

describe('v1 parameter parsing', () => {
  it('a raw + in a hand-glued query arrives as a space, so the number is not numeric', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, `?action=create&${creds}&phoneNumber=+919876500000&phoneName=Agent7`);
    expect(r.json).toEqual({ status: 'error', message: 'phoneNumber must be numeric' });
    expect(sim.control.calls().at(-1)?.params.phoneNumber).toBe(' 919876500000');
    expect(sim.control.applyCount()).toBe(0);
  });

  it('%2B arrives as +', async () => {
    const sim = makeSimulator();
    expect((await v1(sim, `?action=create&${creds}&phoneNumber=%2B919876500000&phoneName=Agent7`)).json).toEqual(ok);
    expect(sim.state.byNumber('+919876500000')?.phoneName).toBe('Agent7');
  });

  it('+ in a name is a space too (and then breaks the name rule)', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, `?action=create&${creds}&phoneNumber=5551234&phoneName=Agent+Seven`);
    expect((r.json as { message: string }).message).toMatch(/^phoneName should be between 2 to 50/);
  });

  it('the last duplicate wins', async () => {
    const sim = makeSimulator();
    expect((await v1(sim, `?action=delete&action=create&${creds}&phoneNumber=1&phoneNumber=5551234&phoneName=Agent7`)).json).toEqual(ok);
    expect(sim.state.byNumber('5551234')).toBeDefined();
  });

  it('a base URL ending in ? gives ?& and still works; so do empty pairs', async () => {
    const sim = makeSimulator();
    expect((await v1(sim, `?&action=create&&${creds}&phoneNumber=5551234&phoneName=Agent7&`)).json).toEqual(ok);
  });

  it('a form-encoded POST body is merged with the query, the body winning for the same key', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, `?action=delete&${creds}&phoneName=Ignored`, { form: 'action=create&phoneNumber=%2B15550001111&phoneName=Agent7' });
    expect(r.json).toEqual(ok);
    expect(sim.state.byNumber('+15550001111')?.phoneName).toBe('Agent7');
  });

  it('a form body reads + as a space as well', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, `?${creds}`, { form: 'action=create&phoneNumber=+15550001111&phoneName=Agent7' });
    expect(r.json).toEqual({ status: 'error', message: 'phoneNumber must be numeric' });
  });

  it('a POST with everything in the query and an empty body (axios habit) works', async () => {
    const sim = makeSimulator();
    expect((await v1(sim, `?action=create&${creds}&phoneNumber=5551234&phoneName=Agent7`, { method: 'POST' })).json).toEqual(ok);
  });

  it('a body that is not form-encoded is not read, as PHP leaves $_POST empty', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, `?${creds}`, { form: '{"action":"create","phoneNumber":"5551234","phoneName":"Agent7"}', contentType: 'application/json' });
    expect(r.json).toEqual({ status: 'error', message: 'action not valid' });
  });

  it('PhoneNameNew (documented) and phoneNameNew (v2 sample spelling) are both read; PhoneNameNew wins', async () => {
    const sim = makeSimulator();
    expect((await v1(sim, `?action=edit&${creds}&phoneNumber=9876543210&phoneName=Desk1&phoneNumberNew=9876543210&phoneNameNew=DeskA`)).json).toEqual(ok);
    expect(sim.state.byNumber('9876543210')?.phoneName).toBe('DeskA');
    expect((await v1(sim, `?action=edit&${creds}&phoneNumber=9876543210&phoneName=DeskA&phoneNumberNew=9876543210&phoneNameNew=Lose&PhoneNameNew=Win`)).json).toEqual(ok);
    expect(sim.state.byNumber('9876543210')?.phoneName).toBe('Win');
  });

  it('reads apiKey and userName only, not the lower-case aliases of sibling endpoints (assumption)', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, `?action=create&api_key=${KEY}&username=${USER}&phoneNumber=5551234&phoneName=Agent7`);
    expect(r.json).toEqual({ status: 'error', message: 'userName or apiKey not valid' });
    expect(JSON.stringify(sim.control.calls())).not.toContain(KEY);
  });

  it('answers HTTP 200 with a status/message body even for failures', async () => {
    const sim = makeSimulator();
    const r = await v1(sim, '?action=create');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'error', message: 'userName or apiKey not valid' });
  });

  it('the call log keeps the parameters but never the key', async () => {
    const sim = makeSimulator();
    await v1(sim, `?action=create&${creds}&phoneNumber=5551234&phoneName=Agent7`);
    const call = sim.control.calls().at(-1)!;
    expect(call).toMatchObject({ version: 'v1', action: 'create', method: 'GET', auth: 'apiKey', httpStatus: 200 });
    expect(call.params).toEqual({ action: 'create', userName: USER, phoneNumber: '5551234', phoneName: 'Agent7' });
    expect(JSON.stringify(sim.control.calls())).not.toContain(KEY);
  });
});
