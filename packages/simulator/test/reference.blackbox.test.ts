// Black-box tests written from docs/reference/cloudagent-phone-api.md alone, over a real socket,
// against the published `./node` entry. Every expected string is copied from the reference.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type StartOptions } from '@cloudagent-phone/simulator/node';

const KEY = 'CANARY-KEY-bb-0001';
const USER = 'blackbox';
const V1 = '/CAServices/PhoneManageV2.php';
const V2 = '/ca_apis/PhoneManageV2';
const TOKEN = '/ca_apis/CAToken/generateToken';

const OK = 'record inserted successfully';
const PARTIAL = 'record inserted successfully and failed to insert skills please pass the valid skills';
const BAD_CREDS = 'userName or apiKey not valid';
const LENGTH = 'phoneNumber should be between 3 to 17 digits long and allows prefix +';
const NAME_RULE =
  'phoneName should be between 2 to 50 alphanumeric characters long allows prefix + and special characters like .,@,_,- and Name cannot start and end with Special characters.';
const EXISTS = 'phone_name or phone_number already exist';
const LIMIT_FOLDED = "Phone Number Limit Exceeded. Please refer to the 'Phone Number Creation Limit' option under 'Edit Profile' for reference.";

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }

const sims: RunningSimulator[] = [];
afterEach(async () => {
  while (sims.length > 0) await sims.pop()!.close();
});

async function sim(options: StartOptions = {}): Promise<RunningSimulator> {
  const s = await startSimulator({ port: 0, userName: USER, apiKey: KEY, records: [{ phoneNumber: '9876543210', phoneName: 'Desk1' }], ...options });
  sims.push(s);
  return s;
}

function http(s: RunningSimulator, method: string, pathAndQuery: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const h = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${s.url}${pathAndQuery}`, { method, headers: h }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: any;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const v1 = (s: RunningSimulator, params: Record<string, string>) =>
  http(s, 'GET', `${V1}?${new URLSearchParams({ apiKey: KEY, userName: USER, ...params }).toString()}`);
const v2 = (s: RunningSimulator, body: Record<string, unknown>, headers: Record<string, string> = { apiKey: KEY }) =>
  http(s, 'POST', V2, { 'content-type': 'application/json', ...headers }, JSON.stringify({ userName: USER, ...body }));
const v2get = (s: RunningSimulator, body: Record<string, unknown>, headers: Record<string, string> = { apiKey: KEY }) =>
  http(s, 'GET', V2, { 'content-type': 'application/json', ...headers }, JSON.stringify({ action: 'get', userName: USER, ...body }));
const fold = (m: string) => m.replace(/\s+/g, ' ').trim();

describe.each(['v1', 'v2'] as const)('PhoneManageV2 response table over %s', (version) => {
  const send = (s: RunningSimulator, p: Record<string, string>) => (version === 'v1' ? v1(s, p) : v2(s, p));

  it('create, edit and delete all answer success / "record inserted successfully"', async () => {
    const s = await sim();
    const steps: Record<string, string>[] = [
      { action: 'create', phoneNumber: '5550001', phoneName: 'Alpha' },
      { action: 'edit', phoneNumber: '5550001', phoneName: 'Alpha', phoneNumberNew: '5550002', PhoneNameNew: 'Beta' },
      { action: 'delete', phoneNumber: '5550002', phoneName: 'Beta' },
    ];
    for (const p of steps) {
      const r = await send(s, p);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ status: 'success', message: OK });
    }
    expect(s.control.records().some((r) => r.phoneNumber === '5550002' || r.phoneNumber === '5550001')).toBe(false);
  });

  it('invalid api key and invalid user name: "userName or apiKey not valid"', async () => {
    const s = await sim();
    const badKey =
      version === 'v1'
        ? await http(s, 'GET', `${V1}?${new URLSearchParams({ apiKey: 'wrong', userName: USER, action: 'create', phoneNumber: '5550003', phoneName: 'Gamma' })}`)
        : await v2(s, { action: 'create', phoneNumber: '5550003', phoneName: 'Gamma' }, { apiKey: 'wrong' });
    expect(badKey.json.message).toBe(BAD_CREDS);
    expect(badKey.json.status).toBe('error');
    const badUser = await send(s, { userName: 'nobody', action: 'create', phoneNumber: '5550003', phoneName: 'Gamma' });
    expect(badUser.json).toEqual({ status: 'error', message: BAD_CREDS });
    expect(s.control.records().map((r) => r.phoneNumber)).not.toContain('5550003');
  });

  it('invalid action: "action not valid"', async () => {
    const s = await sim();
    expect((await send(s, { action: 'update', phoneNumber: '5550004', phoneName: 'Delta' })).json).toEqual({ status: 'error', message: 'action not valid' });
  });

  it.each([
    ['number not numeric', { phoneNumber: '98abc', phoneName: 'Eps' }, 'phoneNumber must be numeric'],
    ['empty name', { phoneNumber: '5550005', phoneName: '' }, 'phoneName cannot be empty'],
    ['empty number', { phoneNumber: '', phoneName: 'Eps' }, 'phoneNumber cannot be empty'],
    ['2 digits', { phoneNumber: '12', phoneName: 'Eps' }, LENGTH],
    ['18 digits', { phoneNumber: '123456789012345678', phoneName: 'Eps' }, LENGTH],
    ['1-char name', { phoneNumber: '5550005', phoneName: 'E' }, NAME_RULE],
    ['51-char name', { phoneNumber: '5550005', phoneName: 'a'.repeat(51) }, NAME_RULE],
    ['name starting with a special character', { phoneNumber: '5550005', phoneName: '_Eps' }, NAME_RULE],
    ['name ending with a special character', { phoneNumber: '5550005', phoneName: 'Eps.' }, NAME_RULE],
    ['name with a space', { phoneNumber: '5550005', phoneName: 'E ps' }, NAME_RULE],
  ])('create with %s is refused with the documented message', async (_label, fields, message) => {
    const s = await sim();
    const r = await send(s, { action: 'create', ...fields });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'error', message });
    expect(s.control.records()).toHaveLength(1);
  });

  it.each([
    ['3 digits', '123', 'Abc'],
    ['17 digits', '12345678901234567', 'Abc'],
    ['+ prefix', '+919876543211', 'Abc'],
    ['2-char name', '5550006', 'Ab'],
    ['50-char name', '5550006', 'a'.repeat(50)],
    ['name with inner specials and + prefix', '5550006', '+Front.Desk@1_a-b,c'],
  ])('create with %s is accepted', async (_label, phoneNumber, phoneName) => {
    const s = await sim();
    expect((await send(s, { action: 'create', phoneNumber, phoneName })).json).toEqual({ status: 'success', message: OK });
    expect(s.control.records().some((r) => r.phoneNumber === phoneNumber)).toBe(true);
  });

  it('duplicates across number and name (names case-insensitive)', async () => {
    const s = await sim();
    expect((await send(s, { action: 'create', phoneNumber: '9876543210', phoneName: 'Other' })).json).toEqual({ status: 'error', message: EXISTS });
    expect((await send(s, { action: 'create', phoneNumber: '5550007', phoneName: 'DESK1' })).json).toEqual({ status: 'error', message: EXISTS });
    await send(s, { action: 'create', phoneNumber: '5550008', phoneName: 'Second' });
    expect((await send(s, { action: 'edit', phoneNumber: '5550008', phoneName: 'Second', phoneNumberNew: '9876543210' })).json).toEqual({ status: 'error', message: EXISTS });
    expect((await send(s, { action: 'edit', phoneNumber: '5550008', phoneName: 'Second', phoneNumberNew: '5550008', PhoneNameNew: 'desk1' })).json).toEqual({ status: 'error', message: EXISTS });
    expect(s.control.records()).toHaveLength(2);
  });

  it('phoneName is not case-sensitive on edit and delete', async () => {
    const s = await sim();
    expect((await send(s, { action: 'edit', phoneNumber: '9876543210', phoneName: 'dESK1', phoneNumberNew: '9876543211' })).json).toEqual({ status: 'success', message: OK });
    expect((await send(s, { action: 'delete', phoneNumber: '9876543211', phoneName: 'DESK1' })).json).toEqual({ status: 'success', message: OK });
    expect(s.control.records()).toHaveLength(0);
  });

  it('the phone-number limit message, string for string (spaces and line breaks folded)', async () => {
    const s = await sim({ phoneNumberLimit: 1 });
    const r = await send(s, { action: 'create', phoneNumber: '5550009', phoneName: 'Over' });
    expect(r.json.status).toBe('error');
    expect(fold(r.json.message)).toBe(LIMIT_FOLDED);
    expect(r.json.message.startsWith(' Phone Number Limit Exceeded. Please')).toBe(true);
    expect(r.json.message.endsWith('for reference. ')).toBe(true);
    expect(r.json.message).toBe(" Phone Number Limit Exceeded. Please\nrefer to the 'Phone Number Creation Limit' option under 'Edit Profile'\nfor reference. ");
    expect(s.control.records()).toHaveLength(1);
  });

  it('comma-separated skills are assigned and unassigned', async () => {
    const s = await sim();
    expect((await send(s, { action: 'create', phoneNumber: '5550010', phoneName: 'Skilled', skill: 'General' })).json).toEqual({ status: 'success', message: OK });
    const e = await send(s, { action: 'edit', phoneNumber: '5550010', phoneName: 'Skilled', phoneNumberNew: '5550010', assignSkill: 'QA_Skill,Sales' });
    expect(e.json).toEqual({ status: 'success', message: OK });
    const rec = s.control.records().find((r) => r.phoneNumber === '5550010')!;
    expect([...(rec.skills ?? [])].sort()).toEqual(['General', 'QA_Skill', 'Sales']);
    const u = await send(s, { action: 'edit', phoneNumber: '5550010', phoneName: 'Skilled', phoneNumberNew: '5550010', unAssignSkill: 'General,Sales' });
    expect(u.json).toEqual({ status: 'success', message: OK });
    expect(s.control.records().find((r) => r.phoneNumber === '5550010')!.skills).toEqual(['QA_Skill']);
  });

  it('invalid skill key: partial success, the number changed, the skills not', async () => {
    const s = await sim();
    const r = await send(s, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543212', assignSkill: 'NoSuchSkill' });
    expect(r.json).toEqual({ status: 'success', message: PARTIAL });
    const rec = s.control.records().find((x) => x.phoneNumber === '9876543212');
    expect(rec).toBeDefined();
    expect(rec!.skills ?? []).not.toContain('NoSuchSkill');
    const c = await send(s, { action: 'create', phoneNumber: '5550011', phoneName: 'Bad', skill: 'Nope' });
    expect(c.json).toEqual({ status: 'success', message: PARTIAL });
    expect(s.control.records().some((x) => x.phoneNumber === '5550011')).toBe(true);
  });

  it('missing skill value: the same partial success', async () => {
    const s = await sim();
    const r = await send(s, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543213', assignSkill: '' });
    expect(r.json).toEqual({ status: 'success', message: PARTIAL });
    expect(s.control.records().some((x) => x.phoneNumber === '9876543213')).toBe(true);
  });

  it('reads both PhoneNameNew (parameter tables) and phoneNameNew (v2 sample body)', async () => {
    const s = await sim();
    expect((await send(s, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Desk1', phoneNumberNew: '9876543210', PhoneNameNew: 'Capital' })).json.status).toBe('success');
    expect(s.control.records()[0]!.phoneName).toBe('Capital');
    expect((await send(s, { action: 'edit', phoneNumber: '9876543210', phoneName: 'Capital', phoneNumberNew: '9876543210', phoneNameNew: 'lower' })).json.status).toBe('success');
    expect(s.control.records()[0]!.phoneName).toBe('lower');
  });
});

describe('v1 as legacy clients send it', () => {
  it('%2B arrives as a + in the stored number', async () => {
    const s = await sim();
    const r = await http(s, 'GET', `${V1}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=%2B919876500001&phoneName=Plus`);
    expect(r.json).toEqual({ status: 'success', message: OK });
    expect(s.control.records().some((x) => x.phoneNumber === '+919876500001')).toBe(true);
  });

  it('a raw + is read as a space (PHP) and never stored as the number with +', async () => {
    const s = await sim();
    const r = await http(s, 'GET', `${V1}?action=create&apiKey=${KEY}&userName=${USER}&phoneNumber=+919876500002&phoneName=RawPlus`);
    expect(r.status).toBe(200);
    expect(s.control.records().some((x) => x.phoneNumber === '+919876500002')).toBe(false);
    expect(r.json.status).toBe('error');
  });

  it('a base URL ending in ? gives ?& and still works', async () => {
    const s = await sim();
    const r = await http(s, 'GET', `${V1}?&userName=${USER}&apiKey=${KEY}&action=create&phoneNumber=5550020&phoneName=Amp`);
    expect(r.json).toEqual({ status: 'success', message: OK });
  });

  it('a form-encoded POST body', async () => {
    const s = await sim();
    const body = new URLSearchParams({ userName: USER, apiKey: KEY, action: 'create', phoneNumber: '+15550021', phoneName: 'Form' }).toString();
    const r = await http(s, 'POST', V1, { 'content-type': 'application/x-www-form-urlencoded' }, body);
    expect(r.json).toEqual({ status: 'success', message: OK });
    expect(s.control.records().some((x) => x.phoneNumber === '+15550021')).toBe(true);
  });

  it('a multipart/form-data POST (PHP fills $_POST from it too)', async () => {
    const s = await sim();
    const form = new FormData();
    for (const [k, v] of Object.entries({ userName: USER, apiKey: KEY, action: 'create', phoneNumber: '+15550026', phoneName: 'Multi' })) form.append(k, v);
    const res = await fetch(`${s.url}${V1}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', message: OK });
    expect(s.control.records().some((x) => x.phoneNumber === '+15550026')).toBe(true);
  });

  it('a JSON body is not read on v1 (PHP does not fill $_POST from it)', async () => {
    const s = await sim();
    const r = await http(s, 'POST', V1, { 'content-type': 'application/json' }, JSON.stringify({ userName: USER, apiKey: KEY, action: 'create', phoneNumber: '5550027', phoneName: 'Json' }));
    expect(r.json).toEqual({ status: 'error', message: BAD_CREDS });
  });

  it('a POST with the parameters in the query and an empty body', async () => {
    const s = await sim();
    const r = await http(s, 'POST', `${V1}?userName=${USER}&apiKey=${KEY}&action=create&phoneNumber=5550022&phoneName=Axios`, { 'content-type': 'application/x-www-form-urlencoded' }, '');
    expect(r.json).toEqual({ status: 'success', message: OK });
  });

  it('answers HTTP 200 for every outcome', async () => {
    const s = await sim({ phoneNumberLimit: 1 });
    const cases: Record<string, string>[] = [
      { action: 'nope' },
      { action: 'create', phoneNumber: 'x', phoneName: 'Abc' },
      { action: 'create', phoneNumber: '9876543210', phoneName: 'Abc' },
      { action: 'create', phoneNumber: '5550023', phoneName: 'Abc' },
      { action: 'delete', phoneNumber: '5550099', phoneName: 'Zz' },
      { action: 'get', phoneNumber: '9876543210' },
    ];
    for (const c of cases) expect((await v1(s, c)).status).toBe(200);
    expect((await http(s, 'GET', `${V1}?apiKey=wrong&userName=${USER}&action=create`)).status).toBe(200);
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await http(s, method, `${V1}?apiKey=wrong&userName=${USER}&action=create`);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ status: 'error', message: BAD_CREDS });
    }
    expect((await http(s, 'GET', V1)).status).toBe(200);
  });
});

it('any verb runs the v1 script: the query is read, a non-POST form body is not (PHP fills $_POST on POST only)', async () => {
  const s = await sim();
  const q = new URLSearchParams({ apiKey: KEY, userName: USER, action: 'create', phoneNumber: '5550024', phoneName: 'PutQ' });
  expect((await http(s, 'PUT', `${V1}?${q}`)).json).toEqual({ status: 'success', message: OK });
  const body = new URLSearchParams({ apiKey: KEY, userName: USER, action: 'create', phoneNumber: '5550025', phoneName: 'PutB' }).toString();
  const r = await http(s, 'PUT', V1, { 'content-type': 'application/x-www-form-urlencoded' }, body);
  expect(r.status).toBe(200);
  expect(r.json).toEqual({ status: 'error', message: BAD_CREDS });
  expect(s.control.records().some((x) => x.phoneNumber === '5550025')).toBe(false);
});

describe('v2 transport rules', () => {
  it('get is a GET with a JSON body; the success body has no status', async () => {
    const s = await sim();
    const byNumber = await v2get(s, { phoneNumber: '9876543210' });
    expect(byNumber.status).toBe(200);
    expect(byNumber.json.phoneNumber).toBe('9876543210');
    expect(byNumber.json.phoneName).toBe('Desk1');
    expect(byNumber.json).toEqual({ phoneNumber: '9876543210', phoneName: 'Desk1' });
    const byName = await v2get(s, { phoneName: 'desk1' });
    expect(byName.json.phoneNumber).toBe('9876543210');
  });

  it('get is case sensitive on action', async () => {
    const s = await sim();
    const r = await http(s, 'GET', V2, { 'content-type': 'application/json', apiKey: KEY }, JSON.stringify({ action: 'GET', userName: USER, phoneNumber: '9876543210' }));
    expect(r.json).toEqual({ status: 'error', message: 'action not valid' });
  });

  it('get with an invalid user name: the leading-space message', async () => {
    const s = await sim();
    const r = await v2get(s, { userName: 'nobody', phoneNumber: '9876543210' });
    expect(r.json).toEqual({ status: 'error', message: ' userName or apiKey not valid' });
  });

  it('no apiKey header: 401 "Missing userName or apiKey"', async () => {
    const s = await sim();
    const r = await v2(s, { action: 'create', phoneNumber: '5550030', phoneName: 'NoKey' }, {});
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ status: 'false', message: 'Missing userName or apiKey' });
    expect(s.control.records()).toHaveLength(1);
  });

  it('wrong verb: 405', async () => {
    const s = await sim();
    const r = await http(s, 'PUT', V2, { 'content-type': 'application/json', apiKey: KEY }, JSON.stringify({ action: 'create', userName: USER, phoneNumber: '5550031', phoneName: 'Put' }));
    expect(r.status).toBe(405);
    expect(s.control.records()).toHaveLength(1);
  });

  it('parameters in the query string instead of JSON: "Invalid Json Pass Valid Json"', async () => {
    const s = await sim();
    const q = new URLSearchParams({ action: 'create', userName: USER, phoneNumber: '5550032', phoneName: 'Query' });
    const r = await http(s, 'POST', `${V2}?${q}`, { 'content-type': 'application/json', apiKey: KEY }, '');
    expect(r.json).toEqual({ status: 'false', message: 'Invalid Json Pass Valid Json' });
    expect(s.control.records()).toHaveLength(1);
  });

  it('the v2 edit sample body copied verbatim (its missing comma after phoneNameNew) is "Invalid Json Pass Valid Json" and changes nothing', async () => {
    const s = await sim();
    const sample = `{"action":"edit","userName":"${USER}","phoneNumber":"9876543210","phoneName":"Desk1","phoneNumberNew":"9876543211","phoneNameNew":"Desk2" "assignSkill":"General,QA_Skill,kolm,lok,Python"}`;
    const r = await http(s, 'POST', V2, { 'content-type': 'application/json', apiKey: KEY }, sample);
    expect(r.json).toEqual({ status: 'false', message: 'Invalid Json Pass Valid Json' });
    expect(s.control.records()).toEqual([expect.objectContaining({ phoneNumber: '9876543210', phoneName: 'Desk1' })]);
  });

  it('the v2 API key is not taken from the body or the query', async () => {
    const s = await sim();
    const r = await http(s, 'POST', `${V2}?apiKey=${KEY}`, { 'content-type': 'application/json' }, JSON.stringify({ action: 'create', userName: USER, apiKey: KEY, phoneNumber: '5550033', phoneName: 'Body' }));
    expect(r.status).toBe(401);
    expect(s.control.records()).toHaveLength(1);
  });

  it('429 (rate-limit fault) answers "Max limit exceeded" with Retry-After and changes nothing', async () => {
    const s = await sim();
    s.control.setFaults({ queue: [{ kind: 'rate-limit', retryAfterSeconds: 3 }] });
    const r = await v2(s, { action: 'create', phoneNumber: '5550034', phoneName: 'Rate' });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ status: 'error', message: 'Max limit exceeded' });
    expect(r.headers['retry-after']).toBe('3');
    expect(s.control.records()).toHaveLength(1);
  });
});

describe('token authentication', () => {
  const gen = (s: RunningSimulator, body: unknown = { userName: USER }, key = KEY) =>
    http(s, 'POST', TOKEN, { 'content-type': 'application/json', apiKey: key }, JSON.stringify(body));

  it('ok: {"token": "eyJ...", "message": ""}; Bearer token works; a new token kills the old one', async () => {
    const s = await sim({ auth: 'token' });
    const a = await gen(s);
    expect(a.status).toBe(200);
    expect(a.json.message).toBe('');
    expect(a.json.token).toMatch(/^eyJ/);
    const ok = await v2(s, { action: 'create', phoneNumber: '5550040', phoneName: 'Tok' }, { Authorization: `Bearer ${a.json.token}` });
    expect(ok.json).toEqual({ status: 'success', message: OK });
    const b = await gen(s);
    expect(b.json.token).not.toBe(a.json.token);
    const old = await v2(s, { action: 'delete', phoneNumber: '5550040', phoneName: 'Tok' }, { Authorization: `Bearer ${a.json.token}` });
    expect(old.json.status).toBe('false');
    expect(old.json.message).toBe('Invalid Token');
    expect(s.control.records().some((x) => x.phoneNumber === '5550040')).toBe(true);
    const raw = await v2(s, { action: 'delete', phoneNumber: '5550040', phoneName: 'Tok' }, { Authorization: b.json.token });
    expect(raw.json).toEqual({ status: 'success', message: OK });
  });

  it('missing userName and bad key envelopes', async () => {
    const s = await sim({ auth: 'token' });
    expect((await gen(s, {})).json).toEqual({ status: 'false', message: 'UserName is null', data: null });
    expect((await gen(s, { userName: USER }, 'wrong')).json).toEqual({ status: 'false', message: 'Invalid userName or apiKey', data: null });
    expect((await gen(s, { userName: 'nobody' })).json).toEqual({ status: 'false', message: 'Invalid userName or apiKey', data: null });
  });

  it('a token expires after 60 minutes: "Token Expired"', async () => {
    let t = Date.UTC(2026, 0, 1);
    const s = await sim({ auth: 'token', now: () => t });
    const a = await gen(s);
    t += 59 * 60_000;
    expect((await v2get(s, { phoneNumber: '9876543210' }, { Authorization: `Bearer ${a.json.token}` })).json.phoneName).toBe('Desk1');
    t += 2 * 60_000;
    const r = await v2get(s, { phoneNumber: '9876543210' }, { Authorization: `Bearer ${a.json.token}` });
    expect(r.json).toEqual({ status: 'false', message: 'Token Expired', data: null });
  });

  it('at most 10 tokens an hour; the 11th is refused and the live token keeps working', async () => {
    let t = Date.UTC(2026, 0, 1);
    const s = await sim({ auth: 'token', now: () => t });
    let last = '';
    for (let i = 0; i < 10; i++) {
      const r = await gen(s);
      expect(r.json.token).toMatch(/^eyJ/);
      last = r.json.token;
      t += 1000;
    }
    const eleventh = await gen(s);
    expect(eleventh.json.token).toBeUndefined();
    expect(eleventh.status).toBe(429);
    expect((await v2get(s, { phoneNumber: '9876543210' }, { Authorization: `Bearer ${last}` })).json.phoneName).toBe('Desk1');
    t += 60 * 60_000;
    expect((await gen(s)).json.token).toMatch(/^eyJ/);
  });

  it('a token account without a token is refused and nothing changes', async () => {
    const s = await sim({ auth: 'token' });
    const r = await v2(s, { action: 'create', phoneNumber: '5550041', phoneName: 'NoTok' }, {});
    expect(r.status).toBe(401);
    expect(r.json.status).toBe('false');
    expect(s.control.records()).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('the API key never appears in any answer or in the call log', async () => {
    const s = await sim();
    const replies = [
      await v1(s, { action: 'create', phoneNumber: '5550050', phoneName: 'Sec' }),
      await v2(s, { action: 'create', phoneNumber: '5550051', phoneName: 'Sec2' }),
      await v2(s, { action: 'create', phoneNumber: '5550052', phoneName: 'Sec3' }, { apiKey: `${KEY}x` }),
    ];
    for (const r of replies) expect(r.text).not.toContain(KEY);
    expect(JSON.stringify(s.control.calls())).not.toContain(KEY);
  });
});

describe('library options and test-only routes (issue 3)', () => {
  it('the skill catalogue option decides which skills are valid (case-insensitive)', async () => {
    const s = await sim({ skills: ['Python', 'Rust'] });
    expect((await v2(s, { action: 'create', phoneNumber: '5550060', phoneName: 'Cat1', skill: 'python,RUST' })).json).toEqual({ status: 'success', message: OK });
    expect((await v2(s, { action: 'create', phoneNumber: '5550061', phoneName: 'Cat2', skill: 'General' })).json).toEqual({ status: 'success', message: PARTIAL });
    expect(s.control.records().some((r) => r.phoneNumber === '5550061')).toBe(true);
  });

  it('control routes are off by default and on when enabled', async () => {
    const off = await sim();
    expect((await http(off, 'GET', '/__simulator/state')).status).toBe(404);
    expect((await http(off, 'POST', '/__simulator/reset')).status).toBe(404);
    const on = await sim({ controlRoutes: true });
    await v2(on, { action: 'create', phoneNumber: '5550062', phoneName: 'Ctl' });
    const state = await http(on, 'GET', '/__simulator/state');
    expect(state.status).toBe(200);
    expect(state.text).toContain('5550062');
    expect(state.text).not.toContain(KEY);
    expect((await http(on, 'POST', '/__simulator/reset', { 'content-type': 'application/json' }, '{}')).status).toBeLessThan(300);
    expect(on.control.records().some((r) => r.phoneNumber === '5550062')).toBe(false);
  });

  it('no faults unless enabled: every call answers normally', async () => {
    const s = await sim();
    for (let i = 0; i < 30; i++) expect((await v2get(s, { phoneNumber: '9876543210' })).status).toBe(200);
    expect(s.control.calls().every((c) => c.fault === undefined)).toBe(true);
  });

  it('a state file keeps records across restarts and never holds the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-bb-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await sim({ stateFile });
      expect((await v2(first, { action: 'create', phoneNumber: '5550063', phoneName: 'Persist' })).json.status).toBe('success');
      await sims.pop()!.close();
      expect(readFileSync(stateFile, 'utf8')).not.toContain(KEY);
      const second = await sim({ stateFile });
      expect(second.control.records().some((r) => r.phoneNumber === '5550063')).toBe(true);
      expect((await v2(second, { action: 'create', phoneNumber: '5550064', phoneName: 'persist' })).json).toEqual({ status: 'error', message: EXISTS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
